import type { ExpiryReason, ReleaseReason } from '../../write-model/capital/domain/capital-workflow.events';

/**
 * What the capital saga asks for: capital commands (the dispatcher adds the inputs it reads, such as the venture's
 * verified metrics and the matched investors) and effects at the payment provider, keyed by a business idempotency key.
 */
export type CapitalSagaCommand =
  | { type: 'CheckCapitalReadiness'; data: { capitalRequestId: string; ventureId: string; deadline: string } }
  | { type: 'StartDueDiligence'; data: { capitalRequestId: string; deadline: string } }
  | { type: 'ProposeCapital'; data: ProposalRequest }
  | { type: 'ExpireCapitalRequest'; data: { capitalRequestId: string; reason: ExpiryReason; deadline: string } }
  | { type: 'CancelCapitalRequest'; data: { capitalRequestId: string; reason: string } }
  | { type: 'RequestPaymentCapture'; data: { capitalRequestId: string; commitment: number; attempt: number } }
  | { type: 'ReleaseCommitment'; data: { capitalRequestId: string; commitment: number; reason: ReleaseReason } }
  | { type: 'RequestDisbursement'; data: { capitalRequestId: string } }
  | { type: 'CaptureAtProvider'; data: ProviderCapture }
  | { type: 'DisburseAtProvider'; data: ProviderDisbursement }
  | { type: 'RefundAtProvider'; data: ProviderRefund };

/** What the dispatcher matches investors by (the saga knows the request; the venture's profile is read). */
export type ProposalRequest = {
  capitalRequestId: string;
  round: number;
  deadline: string;
  ventureId: string;
  instrument: string;
  currency: string;
  amount: string;
};

export type ProviderCapture = {
  capitalRequestId: string;
  commitment: number;
  attempt: number;
  investorId: string;
  amount: string;
  currency: string;
  idempotencyKey: string;
};

export type ProviderDisbursement = {
  capitalRequestId: string;
  ventureId: string;
  amount: string;
  currency: string;
  idempotencyKey: string;
};

export type ProviderRefund = {
  capitalRequestId: string;
  paymentId: string;
  amount: string;
  currency: string;
  idempotencyKey: string;
};

export const capitalSagaCommandTypes = [
  'CheckCapitalReadiness',
  'StartDueDiligence',
  'ProposeCapital',
  'ExpireCapitalRequest',
  'CancelCapitalRequest',
  'RequestPaymentCapture',
  'ReleaseCommitment',
  'RequestDisbursement',
  'CaptureAtProvider',
  'DisburseAtProvider',
  'RefundAtProvider',
] as const satisfies readonly CapitalSagaCommand['type'][];
