import { conflict } from '../../../shared/decider';
import { metricCatalog } from '../../../shared/gedsi-catalog';
import type * as C from './capital-workflow.commands';
import type * as E from './capital-workflow.events';
import { captureFailed, disbursed, disbursementFailed, refunded, release, releaseOpen, requestCapture, requestDisbursement } from './capital-payments.decide';
import { existing, instant, notFinal, reasonText } from './capital.rules';
import type { CapitalRequest, CapitalState } from './capital.state';

/**
 * The workflow's rules. Commands from timers and from the saga are decided against the current state, so a stale or
 * repeated one (a deadline that has moved, an attempt that is over) emits nothing instead of failing.
 */

/** The catalog metrics an instrument's readiness check needs, in catalog order. */
export const requiredMetricIds = (instrument: string): string[] =>
  metricCatalog()
    .filter((m) => (m.requiredFor as readonly string[]).includes(instrument))
    .map((m) => m.metricId);

const checkReadiness = ({ data }: C.CheckCapitalReadiness, r: CapitalRequest): E.CapitalWorkflowEvent[] => {
  if (r.phase !== 'REQUESTED' && r.phase !== 'AWAITING_READINESS') return [];
  const verified = new Set(data.verifiedMetricIds);
  const required = requiredMetricIds(r.instrument);
  const missing = required.filter((id) => !verified.has(id));
  const id = r.capitalRequestId;
  if (missing.length === 0) return [{ type: 'CapitalReadinessConfirmed', data: { capitalRequestId: id, requiredMetricIds: required } }];
  if (r.phase === 'AWAITING_READINESS' && missing.join() === r.missingMetricIds.join()) return [];
  const deadline = r.readinessDeadline ?? instant(data.deadline);
  return [{ type: 'CapitalReadinessAwaited', data: { capitalRequestId: id, missingMetricIds: missing, deadline } }];
};

const startDueDiligence = ({ data }: C.StartDueDiligence, r: CapitalRequest): E.CapitalWorkflowEvent[] => {
  if (r.phase === 'REQUESTED' || r.phase === 'AWAITING_READINESS') throw conflict(`the readiness of capital request ${r.capitalRequestId} is not confirmed`);
  if (r.phase !== 'READY') return [];
  return [{ type: 'DueDiligenceStarted', data: { capitalRequestId: r.capitalRequestId, deadline: instant(data.deadline) } }];
};

const inDueDiligence = (r: CapitalRequest): void => {
  notFinal(r);
  if (r.phase !== 'DUE_DILIGENCE') {
    const started = !['REQUESTED', 'AWAITING_READINESS', 'READY'].includes(r.phase);
    throw conflict(`the due diligence of capital request ${r.capitalRequestId} ${started ? 'was already decided' : 'has not started'}`);
  }
};

const approve = ({ data, context }: C.ApproveDueDiligence, r: CapitalRequest): E.CapitalWorkflowEvent[] => {
  inDueDiligence(r);
  const note = (data.note ?? '').trim();
  return [{ type: 'DueDiligenceApproved', data: { capitalRequestId: r.capitalRequestId, approvedBy: context.actor, note } }];
};

const reject = ({ data, context }: C.RejectDueDiligence, r: CapitalRequest): E.CapitalWorkflowEvent[] => {
  inDueDiligence(r);
  const rejected: E.DueDiligenceRejected = {
    type: 'DueDiligenceRejected',
    data: { capitalRequestId: r.capitalRequestId, rejectedBy: context.actor, reason: reasonText(data.reason) },
  };
  return [rejected, ...releaseOpen(r, 'REJECTED')];
};

/**
 * Round 1 after approval; round n + 1 while proposed and no longer covered (a commitment was released). Investors whose
 * commitment could not be captured are not proposed again.
 */
const propose = ({ data }: C.ProposeCapital, r: CapitalRequest): E.CapitalWorkflowEvent[] => {
  const first = r.phase === 'APPROVED' && r.round === 0;
  const again = r.phase === 'PROPOSED' && r.committed < r.requested;
  if (!(first || again) || data.round !== r.round + 1) return [];
  const investorIds = [...new Set(data.investorIds)].filter((id) => !r.failedInvestorIds.includes(id));
  return [{ type: 'CapitalProposed', data: { capitalRequestId: r.capitalRequestId, round: data.round, investorIds, deadline: instant(data.deadline) } }];
};

const expire = ({ data }: C.ExpireCapitalRequest, r: CapitalRequest): E.CapitalWorkflowEvent[] => {
  const deadline = instant(data.deadline);
  const open =
    data.reason === 'READINESS_DEADLINE'
      ? r.phase === 'AWAITING_READINESS' && r.readinessDeadline === deadline
      : data.reason === 'DUE_DILIGENCE_DEADLINE'
        ? r.phase === 'DUE_DILIGENCE' && r.dueDiligenceDeadline === deadline
        : r.phase === 'PROPOSED' && r.committed < r.requested && r.windowDeadline === deadline;
  if (!open) return [];
  const expired: E.CapitalRequestExpired = { type: 'CapitalRequestExpired', data: { capitalRequestId: r.capitalRequestId, reason: data.reason, deadline } };
  return [expired, ...releaseOpen(r, 'EXPIRED')];
};

const cancel = ({ data, context }: C.CancelCapitalRequest, r: CapitalRequest): E.CapitalWorkflowEvent[] => {
  notFinal(r);
  if (r.phase === 'DISBURSING') throw conflict(`capital request ${r.capitalRequestId} is being disbursed`);
  const cancelled: E.CapitalRequestCancelled = {
    type: 'CapitalRequestCancelled',
    data: { capitalRequestId: r.capitalRequestId, cancelledBy: context.actor, reason: reasonText(data.reason) },
  };
  return [cancelled, ...releaseOpen(r, 'CANCELLED')];
};

export const decideWorkflow = (command: C.CapitalWorkflowCommand, state: CapitalState): E.CapitalWorkflowEvent[] => {
  const r = existing(state, command.data.capitalRequestId);
  switch (command.type) {
    case 'CheckCapitalReadiness':
      return checkReadiness(command, r);
    case 'StartDueDiligence':
      return startDueDiligence(command, r);
    case 'ApproveDueDiligence':
      return approve(command, r);
    case 'RejectDueDiligence':
      return reject(command, r);
    case 'ProposeCapital':
      return propose(command, r);
    case 'ExpireCapitalRequest':
      return expire(command, r);
    case 'CancelCapitalRequest':
      return cancel(command, r);
    case 'RequestPaymentCapture':
      return requestCapture(command, r);
    case 'RecordPaymentCaptureFailure':
      return captureFailed(command, r);
    case 'ReleaseCommitment':
      return release(command, r);
    case 'RequestDisbursement':
      return requestDisbursement(command, r);
    case 'RecordDisbursement':
      return disbursed(command, r);
    case 'RecordDisbursementFailure':
      return disbursementFailed(command, r);
    case 'RecordRefund':
      return refunded(command, r);
    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown capital workflow command ${JSON.stringify(_exhaustive)}`);
    }
  }
};
