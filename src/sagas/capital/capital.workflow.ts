import type { StoredEvent } from '../../write-model/event-store/event-store.port';
import { capitalEventTypes, capitalDecider, isCapitalEventType } from '../../write-model/capital/domain/capital.decider';
import type { CapitalEvent } from '../../write-model/capital/domain/capital.events';
import { requiredMetricIds } from '../../write-model/capital/domain/capital-workflow.decide';
import type { ReleaseReason } from '../../write-model/capital/domain/capital-workflow.events';
import { isFinal, type CapitalRequest, type CapitalState } from '../../write-model/capital/domain/capital.state';
import type { GEDSIMetricVerified } from '../../write-model/gedsi/domain/gedsi.events';
import { formatAmount } from '../../shared/money';
import { addMs, decision, nothing, type Decision, type Saga, type TimerRequest } from '../runtime/saga';
import type { CapitalSagaCommand } from './capital.commands';

export interface CapitalWorkflowSettings {
  readonly readinessWindowMs: number;
  readonly dueDiligenceWindowMs: number;
  readonly commitmentWindowMs: number;
  /** Capture attempts per commitment before it is released. */
  readonly captureAttempts: number;
  /** Delay before the second attempt; it doubles for each further one. */
  readonly captureRetryBaseMs: number;
}

export const CAPITAL_SAGA = 'capital';

type Input = CapitalEvent | GEDSIMetricVerified;
type Command = CapitalSagaCommand;

const timer = (id: string, dueAt: string, command: Command): TimerRequest => ({ id, dueAt, command });
const expire = (r: CapitalRequest, reason: 'READINESS_DEADLINE' | 'DUE_DILIGENCE_DEADLINE' | 'COMMITMENT_WINDOW', deadline: string): Command => ({
  type: 'ExpireCapitalRequest',
  data: { capitalRequestId: r.capitalRequestId, reason, deadline },
});
export const windowTimerId = (round: number, deadline: string): string => `window-${round}@${deadline}`;
const releaseReasonOf = (r: CapitalRequest): ReleaseReason => (r.phase === 'REJECTED' ? 'REJECTED' : r.phase === 'CANCELLED' ? 'CANCELLED' : 'EXPIRED');

const propose = (r: CapitalRequest, deadline: string): Command => ({
  type: 'ProposeCapital',
  data: { capitalRequestId: r.capitalRequestId, round: r.round + 1, deadline, ventureId: r.ventureId, instrument: r.instrument, currency: r.currency, amount: formatAmount(r.requested, r.currency) },
});

/** Once fully committed: ask for the capture of every commitment not captured yet (unless payments were captured by hand). */
const captures = (r: CapitalRequest): Command[] => {
  if ([...r.payments.values()].some((p) => p.commitment === null)) return [];
  return r.commitments
    .filter((c) => !c.released && c.capture === 'NONE')
    .map((c) => ({ type: 'RequestPaymentCapture', data: { capitalRequestId: r.capitalRequestId, commitment: c.number, attempt: 1 } }));
};

/** Money held for nothing: every payment of a request that will not be disbursed, or of a released commitment. */
const refunds = (r: CapitalRequest): Command[] => {
  const released = new Set(r.commitments.filter((c) => c.released).map((c) => c.number));
  const over = isFinal(r) && r.phase !== 'DISBURSED';
  return [...r.payments.entries()]
    .filter(([, p]) => p.amount > p.refunded && (over || (p.commitment !== null && released.has(p.commitment))))
    .map(([paymentId, p]) => ({
      type: 'RefundAtProvider',
      data: { capitalRequestId: r.capitalRequestId, paymentId, amount: formatAmount(p.amount - p.refunded, r.currency), currency: r.currency, idempotencyKey: `refund-${r.capitalRequestId}-${paymentId}` },
    }));
};

const decideCapital = (s: CapitalWorkflowSettings, r: CapitalRequest, event: CapitalEvent, at: string): Decision => {
  const capitalRequestId = r.capitalRequestId;
  switch (event.type) {
    case 'CapitalRequested':
      return decision({ commands: [{ type: 'CheckCapitalReadiness', data: { capitalRequestId, ventureId: r.ventureId, deadline: addMs(at, s.readinessWindowMs) } }] });
    case 'CapitalReadinessAwaited': {
      const { deadline } = event.data;
      return decision({ timers: [timer(`readiness@${deadline}`, deadline, expire(r, 'READINESS_DEADLINE', deadline))] });
    }
    case 'CapitalReadinessConfirmed':
      return decision({
        cancelTimers: r.readinessDeadline === null ? [] : [`readiness@${r.readinessDeadline}`],
        commands: [{ type: 'StartDueDiligence', data: { capitalRequestId, deadline: addMs(at, s.dueDiligenceWindowMs) } }],
      });
    case 'DueDiligenceStarted': {
      const { deadline } = event.data;
      return decision({ timers: [timer(`due-diligence@${deadline}`, deadline, expire(r, 'DUE_DILIGENCE_DEADLINE', deadline))] });
    }
    case 'DueDiligenceApproved':
      return decision({
        cancelTimers: [`due-diligence@${r.dueDiligenceDeadline ?? ''}`],
        commands: [propose(r, addMs(at, s.commitmentWindowMs))],
      });
    case 'CapitalProposed': {
      if (r.committed >= r.requested) return decision({ commands: captures(r) });
      const { round, deadline } = event.data;
      return decision({ timers: [timer(windowTimerId(round, deadline), deadline, expire(r, 'COMMITMENT_WINDOW', deadline))] });
    }
    case 'InvestmentCommitted':
      if (r.phase !== 'PROPOSED' || r.committed < r.requested) return nothing;
      return decision({ cancelTimers: [windowTimerId(r.round, r.windowDeadline ?? '')], commands: captures(r) });
    case 'PaymentCaptureRequested':
      return decision({ commands: [{ type: 'CaptureAtProvider', data: { ...event.data } }] });
    case 'PaymentCaptureFailed': {
      const { commitment, attempt } = event.data;
      const release = (reason: ReleaseReason): Decision => decision({ commands: [{ type: 'ReleaseCommitment', data: { capitalRequestId, commitment, reason } }] });
      if (isFinal(r)) return release(releaseReasonOf(r));
      if (attempt >= s.captureAttempts) return release('CAPTURE_FAILED');
      const retry: Command = { type: 'RequestPaymentCapture', data: { capitalRequestId, commitment, attempt: attempt + 1 } };
      return decision({ timers: [timer(`capture-${commitment}-${attempt + 1}`, addMs(at, s.captureRetryBaseMs * 2 ** (attempt - 1)), retry)] });
    }
    case 'CommitmentReleased':
      // Releases for expiry, cancellation or rejection come with the event that already asked for the refunds.
      if (event.data.reason !== 'CAPTURE_FAILED' || r.phase !== 'PROPOSED') return nothing;
      return decision({ commands: [propose(r, addMs(at, s.commitmentWindowMs))] });
    case 'PaymentCaptured': {
      const owed = refunds(r);
      if (owed.length > 0) return decision({ commands: owed });
      if (r.status !== 'CAPTURED' || r.phase === 'DISBURSING' || r.phase === 'DISBURSEMENT_FAILED') return nothing;
      return decision({ commands: [{ type: 'RequestDisbursement', data: { capitalRequestId } }] });
    }
    case 'DisbursementRequested': {
      const { ventureId, amount, currency, idempotencyKey } = event.data;
      return decision({ commands: [{ type: 'DisburseAtProvider', data: { capitalRequestId, ventureId, amount, currency, idempotencyKey } }] });
    }
    case 'DisbursementFailed':
      return decision({ commands: [{ type: 'CancelCapitalRequest', data: { capitalRequestId, reason: `the disbursement failed: ${event.data.reason}` } }] });
    case 'FundsDisbursed':
      return decision({ cancelTimers: 'all' });
    case 'DueDiligenceRejected':
    case 'CapitalRequestExpired':
    case 'CapitalRequestCancelled':
      return decision({ cancelTimers: 'all', commands: refunds(r) });
    case 'PaymentRefunded':
      return nothing;
    default:
      return nothing;
  }
};

/** A newly verified metric may complete the readiness of a request that waits for it (or whose check is under way). */
const decideVerified = (s: CapitalWorkflowSettings, r: CapitalRequest, event: GEDSIMetricVerified, at: string): Decision => {
  if (r.phase !== 'REQUESTED' && r.phase !== 'AWAITING_READINESS') return nothing;
  if (!requiredMetricIds(r.instrument).includes(event.data.metricId)) return nothing;
  return decision({ commands: [{ type: 'CheckCapitalReadiness', data: { capitalRequestId: r.capitalRequestId, ventureId: r.ventureId, deadline: addMs(at, s.readinessWindowMs) } }] });
};

const asInput = (event: StoredEvent): Input => ({ type: event.type, data: event.data }) as Input;

/**
 * Capital facilitation: request -> readiness (verified GEDSI metrics, or wait with a deadline) -> due diligence
 * (analyst decides before a deadline) -> proposals to matched investors -> commitments until covered (or the window
 * expires) -> capture of each commitment (retried, then released) -> disbursement (or refunds) -> closed.
 * The saga's state is the capital request itself, folded with the aggregate's own `evolve`.
 */
export function capitalWorkflow(settings: CapitalWorkflowSettings): Saga<CapitalState> {
  return {
    name: CAPITAL_SAGA,
    canHandle: [...capitalEventTypes, 'GEDSIMetricVerified'],
    correlate: (event) => {
      const input = asInput(event);
      if (input.type === 'GEDSIMetricVerified') return { association: `venture:${input.data.ventureId}` };
      return isCapitalEventType(input.type) ? { key: input.data.capitalRequestId, starts: input.type === 'CapitalRequested' } : undefined;
    },
    initialState: capitalDecider.initialState,
    evolve: (state, event) => {
      const input = asInput(event);
      return input.type === 'GEDSIMetricVerified' ? state : capitalDecider.evolve(state, input);
    },
    decide: (state, event) => {
      if (state.status === 'NONE') return nothing;
      const input = asInput(event);
      return input.type === 'GEDSIMetricVerified' ? decideVerified(settings, state, input, event.occurredAt) : decideCapital(settings, state, input, event.occurredAt);
    },
    associations: (state) => (state.status !== 'NONE' && (state.phase === 'REQUESTED' || state.phase === 'AWAITING_READINESS') ? [`venture:${state.ventureId}`] : []),
    isDone: (state) => {
      if (state.status === 'NONE') return false;
      if (state.phase === 'DISBURSED') return true;
      const settled = state.captured === state.refunded && state.commitments.every((c) => c.capture !== 'REQUESTED');
      return isFinal(state) && settled;
    },
  };
}
