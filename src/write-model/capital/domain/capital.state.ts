import { parseAmount } from '../../../shared/money';
import type { CapitalWorkflowEvent } from './capital-workflow.events';
import type { CapitalEvent, CapitalInstrument } from './capital.events';

/** The contract's CapitalRequestStatus: derived from the workflow phase and the money totals. */
export type CapitalRequestStatus =
  | 'REQUESTED'
  | 'DUE_DILIGENCE'
  | 'PROPOSED'
  | 'COMMITTED'
  | 'CAPTURED'
  | 'DISBURSED'
  | 'REJECTED'
  | 'EXPIRED'
  | 'CANCELLED';

/**
 * Where the workflow is. REQUESTED: no workflow step yet (commitments are still taken directly, as before the
 * workflow existed). The final phases are REJECTED, EXPIRED, CANCELLED and DISBURSED.
 */
export type CapitalPhase =
  | 'REQUESTED'
  | 'AWAITING_READINESS'
  | 'READY'
  | 'DUE_DILIGENCE'
  | 'APPROVED'
  | 'PROPOSED'
  | 'DISBURSING'
  | 'DISBURSEMENT_FAILED'
  | 'DISBURSED'
  | 'REJECTED'
  | 'EXPIRED'
  | 'CANCELLED';

export const finalPhases: readonly CapitalPhase[] = ['REJECTED', 'EXPIRED', 'CANCELLED', 'DISBURSED'];

/** NONE: not asked yet; REQUESTED: the provider is capturing `attempt`; FAILED: `attempt` was declined. */
export type CaptureState = 'NONE' | 'REQUESTED' | 'FAILED' | 'CAPTURED';

/** One investor commitment; `number` is its 1-based place among the request's commitments. */
export type Commitment = Readonly<{
  number: number;
  investorId: string;
  amount: bigint;
  released: boolean;
  capture: CaptureState;
  attempt: number;
  paymentId: string | null;
}>;

export type Payment = Readonly<{ amount: bigint; commitment: number | null; refunded: bigint }>;

export type NoCapitalRequest = Readonly<{ status: 'NONE' }>;

/** Invariant: committed <= requested; amounts in minor units of `currency`. */
export type CapitalRequest = Readonly<{
  status: CapitalRequestStatus;
  phase: CapitalPhase;
  capitalRequestId: string;
  ventureId: string;
  currency: string;
  instrument: CapitalInstrument;
  requested: bigint;
  committed: bigint;
  captured: bigint;
  refunded: bigint;
  disbursed: bigint;
  commitments: readonly Commitment[];
  /** By provider paymentId (a Map: ids such as "constructor" must not hit Object.prototype). */
  payments: ReadonlyMap<string, Payment>;
  payouts: ReadonlySet<string>;
  refunds: ReadonlySet<string>;
  missingMetricIds: readonly string[];
  readinessDeadline: string | null;
  dueDiligenceDeadline: string | null;
  round: number;
  proposedInvestorIds: readonly string[];
  /** Investors whose commitment was released because it could not be captured: not proposed again. */
  failedInvestorIds: readonly string[];
  windowDeadline: string | null;
  disbursement: Readonly<{ attempt: number; idempotencyKey: string }> | null;
}>;

export type CapitalState = NoCapitalRequest | CapitalRequest;

export const initialState = (): CapitalState => ({ status: 'NONE' });

export const isFinal = (request: CapitalRequest): boolean => finalPhases.includes(request.phase);

const phaseStatus: Record<CapitalPhase, CapitalRequestStatus> = {
  REQUESTED: 'REQUESTED',
  AWAITING_READINESS: 'REQUESTED',
  READY: 'REQUESTED',
  DUE_DILIGENCE: 'DUE_DILIGENCE',
  APPROVED: 'DUE_DILIGENCE',
  PROPOSED: 'PROPOSED',
  DISBURSING: 'CAPTURED',
  DISBURSEMENT_FAILED: 'CAPTURED',
  DISBURSED: 'DISBURSED',
  REJECTED: 'REJECTED',
  EXPIRED: 'EXPIRED',
  CANCELLED: 'CANCELLED',
};

const statusOf = (r: CapitalRequest): CapitalRequestStatus => {
  if (isFinal(r)) return phaseStatus[r.phase];
  if (r.captured - r.refunded >= r.requested) return 'CAPTURED';
  if (r.committed >= r.requested) return 'COMMITTED';
  return phaseStatus[r.phase];
};

const derive = (r: CapitalRequest): CapitalRequest => ({ ...r, status: statusOf(r) });

const withCommitment = (r: CapitalRequest, number: number, change: Partial<Commitment>): CapitalRequest => ({
  ...r,
  commitments: r.commitments.map((c) => (c.number === number ? { ...c, ...change } : c)),
});

const amount = (r: CapitalRequest, value: string): bigint => parseAmount(value, r.currency);

const evolveWorkflow = (r: CapitalRequest, event: CapitalWorkflowEvent): CapitalRequest => {
  switch (event.type) {
    case 'CapitalReadinessConfirmed':
      return { ...r, phase: 'READY', missingMetricIds: [] };
    case 'CapitalReadinessAwaited':
      return { ...r, phase: 'AWAITING_READINESS', missingMetricIds: event.data.missingMetricIds, readinessDeadline: event.data.deadline };
    case 'DueDiligenceStarted':
      return { ...r, phase: 'DUE_DILIGENCE', dueDiligenceDeadline: event.data.deadline };
    case 'DueDiligenceApproved':
      return { ...r, phase: 'APPROVED' };
    case 'DueDiligenceRejected':
      return { ...r, phase: 'REJECTED' };
    case 'CapitalProposed': {
      const { round, investorIds, deadline } = event.data;
      return { ...r, phase: 'PROPOSED', round, proposedInvestorIds: investorIds, windowDeadline: deadline };
    }
    case 'CapitalRequestExpired':
      return { ...r, phase: 'EXPIRED' };
    case 'CommitmentReleased': {
      const { commitment, investorId, reason, totalCommitted } = event.data;
      const failed = reason === 'CAPTURE_FAILED' && !r.failedInvestorIds.includes(investorId) ? [...r.failedInvestorIds, investorId] : r.failedInvestorIds;
      return { ...withCommitment(r, commitment, { released: true }), committed: amount(r, totalCommitted), failedInvestorIds: failed };
    }
    case 'PaymentCaptureRequested':
      return withCommitment(r, event.data.commitment, { capture: 'REQUESTED', attempt: event.data.attempt });
    case 'PaymentCaptureFailed':
      return withCommitment(r, event.data.commitment, { capture: 'FAILED', attempt: event.data.attempt });
    case 'DisbursementRequested':
      return { ...r, phase: 'DISBURSING', disbursement: { attempt: event.data.attempt, idempotencyKey: event.data.idempotencyKey } };
    case 'FundsDisbursed': {
      const disbursed = amount(r, event.data.totalDisbursed);
      const payouts = new Set(r.payouts).add(event.data.payoutId);
      return { ...r, disbursed, payouts, phase: disbursed >= r.requested ? 'DISBURSED' : r.phase };
    }
    case 'DisbursementFailed':
      return { ...r, phase: 'DISBURSEMENT_FAILED' };
    case 'PaymentRefunded': {
      const { paymentId, refundId, totalRefunded } = event.data;
      const payment = r.payments.get(paymentId);
      const payments = payment ? new Map(r.payments).set(paymentId, { ...payment, refunded: payment.refunded + amount(r, event.data.amount) }) : r.payments;
      return { ...r, payments, refunds: new Set(r.refunds).add(refundId), refunded: amount(r, totalRefunded) };
    }
    case 'CapitalRequestCancelled':
      return { ...r, phase: 'CANCELLED' };
    default: {
      const _exhaustive: never = event;
      return r;
    }
  }
};

export const evolve = (state: CapitalState, event: CapitalEvent): CapitalState => {
  if (event.type === 'CapitalRequested') {
    const { capitalRequestId, ventureId, currency, instrument, amount: requested } = event.data;
    return derive({
      status: 'REQUESTED',
      phase: 'REQUESTED',
      capitalRequestId,
      ventureId,
      currency,
      instrument,
      requested: parseAmount(requested, currency),
      committed: 0n,
      captured: 0n,
      refunded: 0n,
      disbursed: 0n,
      commitments: [],
      payments: new Map(),
      payouts: new Set(),
      refunds: new Set(),
      missingMetricIds: [],
      readinessDeadline: null,
      dueDiligenceDeadline: null,
      round: 0,
      proposedInvestorIds: [],
      failedInvestorIds: [],
      windowDeadline: null,
      disbursement: null,
    });
  }
  if (state.status === 'NONE') return state;
  if (event.type === 'InvestmentCommitted') {
    const { investorId, totalCommitted } = event.data;
    const commitment: Commitment = {
      number: state.commitments.length + 1,
      investorId,
      amount: amount(state, event.data.amount),
      released: false,
      capture: 'NONE',
      attempt: 0,
      paymentId: null,
    };
    return derive({ ...state, commitments: [...state.commitments, commitment], committed: amount(state, totalCommitted) });
  }
  if (event.type === 'PaymentCaptured') {
    const { paymentId, commitment, totalCaptured } = event.data;
    const payments = new Map(state.payments).set(paymentId, { amount: amount(state, event.data.amount), commitment, refunded: 0n });
    const next = commitment === null ? state : withCommitment(state, commitment, { capture: 'CAPTURED', paymentId });
    return derive({ ...next, payments, captured: amount(state, totalCaptured) });
  }
  return derive(evolveWorkflow(state, event));
};
