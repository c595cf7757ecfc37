import type { Command } from '../../../shared/decider';
import type { ExpiryReason, ReleaseReason } from './capital-workflow.events';

/** The commands of the capital facilitation workflow: most come from the capital saga or the provider's webhooks. */

/** `verifiedMetricIds`: the venture's metrics that have a verified value, read by the handler from its GEDSI stream. */
export type CheckCapitalReadiness = Command<'CheckCapitalReadiness', { capitalRequestId: string; deadline: string; verifiedMetricIds: string[] }>;

export type StartDueDiligence = Command<'StartDueDiligence', { capitalRequestId: string; deadline: string }>;

/** The analyst is the command's actor. */
export type ApproveDueDiligence = Command<'ApproveDueDiligence', { capitalRequestId: string; note?: string }>;

export type RejectDueDiligence = Command<'RejectDueDiligence', { capitalRequestId: string; reason: string }>;

/** `investorIds`: the investors the handler matched from the registry; `round` makes a repeated proposal a no-op. */
export type ProposeCapital = Command<'ProposeCapital', { capitalRequestId: string; round: number; investorIds: string[]; deadline: string }>;

/** Fired by a timer: expires the request only if `deadline` is still the deadline of its current step. */
export type ExpireCapitalRequest = Command<'ExpireCapitalRequest', { capitalRequestId: string; reason: ExpiryReason; deadline: string }>;

export type CancelCapitalRequest = Command<'CancelCapitalRequest', { capitalRequestId: string; reason: string }>;

export type RequestPaymentCapture = Command<'RequestPaymentCapture', { capitalRequestId: string; commitment: number; attempt: number }>;

export type RecordPaymentCaptureFailure = Command<
  'RecordPaymentCaptureFailure',
  { capitalRequestId: string; commitment: number; attempt: number; reason: string }
>;

export type ReleaseCommitment = Command<'ReleaseCommitment', { capitalRequestId: string; commitment: number; reason: ReleaseReason }>;

export type RequestDisbursement = Command<'RequestDisbursement', { capitalRequestId: string }>;

export type RecordDisbursement = Command<'RecordDisbursement', { capitalRequestId: string; payoutId: string; amount: string; currency: string }>;

export type RecordDisbursementFailure = Command<'RecordDisbursementFailure', { capitalRequestId: string; idempotencyKey: string; reason: string }>;

export type RecordRefund = Command<
  'RecordRefund',
  { capitalRequestId: string; paymentId: string; refundId: string; amount: string; currency: string }
>;

export type CapitalWorkflowCommand =
  | CheckCapitalReadiness
  | StartDueDiligence
  | ApproveDueDiligence
  | RejectDueDiligence
  | ProposeCapital
  | ExpireCapitalRequest
  | CancelCapitalRequest
  | RequestPaymentCapture
  | RecordPaymentCaptureFailure
  | ReleaseCommitment
  | RequestDisbursement
  | RecordDisbursement
  | RecordDisbursementFailure
  | RecordRefund;
