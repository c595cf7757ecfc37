import { conflict } from '../../../shared/decider';
import { formatAmount } from '../../../shared/money';
import type * as C from './capital-workflow.commands';
import type * as E from './capital-workflow.events';
import type { ReleaseReason } from './capital-workflow.events';
import { commitmentOf, money, nonEmptyId, positiveAmount, reasonText, sameCurrency } from './capital.rules';
import { isFinal, type CapitalRequest } from './capital.state';

/**
 * The money rules of the workflow: captures per commitment, releases, the disbursement and refunds. What the provider
 * reports as done is recorded whatever the phase (the money moved); asks for a stale attempt emit nothing.
 */

const fmt = (r: CapitalRequest, minor: bigint): string => formatAmount(minor, r.currency);

/** Releases every commitment that is neither captured nor being captured. */
export const releaseOpen = (r: CapitalRequest, reason: ReleaseReason): E.CommitmentReleased[] => {
  let total = r.committed;
  return r.commitments
    .filter((c) => !c.released && (c.capture === 'NONE' || c.capture === 'FAILED'))
    .map((c) => {
      total -= c.amount;
      const data = { capitalRequestId: r.capitalRequestId, commitment: c.number, investorId: c.investorId, amount: fmt(r, c.amount), currency: r.currency, reason, totalCommitted: fmt(r, total) };
      return { type: 'CommitmentReleased', data };
    });
};

/** Attempt 1 once the request is fully committed; attempt n + 1 only right after attempt n failed. */
export const requestCapture = ({ data }: C.RequestPaymentCapture, r: CapitalRequest): E.CapitalWorkflowEvent[] => {
  const c = commitmentOf(r, data.commitment);
  if (isFinal(r) || c.released || [...r.payments.values()].some((p) => p.commitment === null)) return [];
  const next =
    data.attempt === 1 ? c.capture === 'NONE' && r.committed >= r.requested : c.capture === 'FAILED' && c.attempt === data.attempt - 1;
  if (!next) return [];
  const idempotencyKey = `cap-${r.capitalRequestId}-${c.number}-${data.attempt}`;
  return [
    {
      type: 'PaymentCaptureRequested',
      data: { capitalRequestId: r.capitalRequestId, commitment: c.number, investorId: c.investorId, amount: fmt(r, c.amount), currency: r.currency, attempt: data.attempt, idempotencyKey },
    },
  ];
};

export const captureFailed = ({ data }: C.RecordPaymentCaptureFailure, r: CapitalRequest): E.CapitalWorkflowEvent[] => {
  const c = commitmentOf(r, data.commitment);
  if (c.capture !== 'REQUESTED' || c.attempt !== data.attempt) return [];
  const { commitment, attempt } = data;
  return [{ type: 'PaymentCaptureFailed', data: { capitalRequestId: r.capitalRequestId, commitment, attempt, reason: reasonText(data.reason) } }];
};

export const release = ({ data }: C.ReleaseCommitment, r: CapitalRequest): E.CapitalWorkflowEvent[] => {
  const c = commitmentOf(r, data.commitment);
  if (c.released || (c.capture !== 'NONE' && c.capture !== 'FAILED')) return [];
  return releaseOpen({ ...r, commitments: [c] }, data.reason);
};

export const requestDisbursement = (_: C.RequestDisbursement, r: CapitalRequest): E.CapitalWorkflowEvent[] => {
  if (isFinal(r) || r.phase === 'DISBURSING' || r.phase === 'DISBURSEMENT_FAILED') return [];
  const held = r.captured - r.refunded;
  if (held < r.requested) throw conflict(`only ${money(held, r.currency)} of ${money(r.requested, r.currency)} is captured`);
  const attempt = (r.disbursement?.attempt ?? 0) + 1;
  const idempotencyKey = `payout-${r.capitalRequestId}-${attempt}`;
  return [
    {
      type: 'DisbursementRequested',
      data: { capitalRequestId: r.capitalRequestId, ventureId: r.ventureId, amount: fmt(r, r.requested), currency: r.currency, attempt, idempotencyKey },
    },
  ];
};

/** A payout the provider made is recorded whatever the phase, as long as the held money covers it. */
export const disbursed = ({ data }: C.RecordDisbursement, r: CapitalRequest): E.CapitalWorkflowEvent[] => {
  sameCurrency(r, data.currency);
  const payoutId = nonEmptyId(data.payoutId, 'payoutId');
  if (r.payouts.has(payoutId)) return [];
  const amount = positiveAmount(data.amount, r.currency);
  const available = r.captured - r.refunded - r.disbursed;
  if (amount > available) throw conflict(`payout ${payoutId} of ${money(amount, r.currency)} exceeds the ${money(available, r.currency)} held`);
  return [
    {
      type: 'FundsDisbursed',
      data: { capitalRequestId: r.capitalRequestId, payoutId, amount: fmt(r, amount), currency: r.currency, totalDisbursed: fmt(r, r.disbursed + amount) },
    },
  ];
};

export const disbursementFailed = ({ data }: C.RecordDisbursementFailure, r: CapitalRequest): E.CapitalWorkflowEvent[] => {
  const current = r.disbursement;
  if (r.phase !== 'DISBURSING' || current === null || current.idempotencyKey !== data.idempotencyKey) return [];
  const failed = { capitalRequestId: r.capitalRequestId, attempt: current.attempt, idempotencyKey: current.idempotencyKey, reason: reasonText(data.reason) };
  return [{ type: 'DisbursementFailed', data: failed }];
};

export const refunded = ({ data }: C.RecordRefund, r: CapitalRequest): E.CapitalWorkflowEvent[] => {
  sameCurrency(r, data.currency);
  const refundId = nonEmptyId(data.refundId, 'refundId');
  if (r.refunds.has(refundId)) return [];
  const payment = r.payments.get(data.paymentId);
  if (payment === undefined) throw conflict(`capital request ${r.capitalRequestId} has no payment ${data.paymentId} to refund`);
  const amount = positiveAmount(data.amount, r.currency);
  if (amount > payment.amount - payment.refunded) {
    throw conflict(`refund ${refundId} of ${money(amount, r.currency)} exceeds what is left of payment ${data.paymentId}`);
  }
  const { paymentId } = data;
  return [
    {
      type: 'PaymentRefunded',
      data: { capitalRequestId: r.capitalRequestId, paymentId, refundId, amount: fmt(r, amount), currency: r.currency, totalRefunded: fmt(r, r.refunded + amount) },
    },
  ];
};
