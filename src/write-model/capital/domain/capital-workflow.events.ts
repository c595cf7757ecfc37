import type { Event } from '../../../shared/decider';

/** The events of the capital facilitation workflow (readiness, due diligence, proposals, payments). */

export const expiryReasons = ['READINESS_DEADLINE', 'DUE_DILIGENCE_DEADLINE', 'COMMITMENT_WINDOW'] as const;
export type ExpiryReason = (typeof expiryReasons)[number];

export const releaseReasons = ['CAPTURE_FAILED', 'EXPIRED', 'CANCELLED', 'REJECTED'] as const;
export type ReleaseReason = (typeof releaseReasons)[number];

export type CapitalReadinessConfirmed = Event<'CapitalReadinessConfirmed', { capitalRequestId: string; requiredMetricIds: string[] }>;

export type CapitalReadinessAwaited = Event<
  'CapitalReadinessAwaited',
  { capitalRequestId: string; missingMetricIds: string[]; deadline: string }
>;

export type DueDiligenceStarted = Event<'DueDiligenceStarted', { capitalRequestId: string; deadline: string }>;

export type DueDiligenceApproved = Event<'DueDiligenceApproved', { capitalRequestId: string; approvedBy: string; note: string }>;

export type DueDiligenceRejected = Event<'DueDiligenceRejected', { capitalRequestId: string; rejectedBy: string; reason: string }>;

export type CapitalProposed = Event<
  'CapitalProposed',
  { capitalRequestId: string; round: number; investorIds: string[]; deadline: string }
>;

export type CapitalRequestExpired = Event<'CapitalRequestExpired', { capitalRequestId: string; reason: ExpiryReason; deadline: string }>;

export type CommitmentReleased = Event<
  'CommitmentReleased',
  {
    capitalRequestId: string;
    commitment: number;
    investorId: string;
    amount: string;
    currency: string;
    reason: ReleaseReason;
    totalCommitted: string;
  }
>;

export type PaymentCaptureRequested = Event<
  'PaymentCaptureRequested',
  {
    capitalRequestId: string;
    commitment: number;
    investorId: string;
    amount: string;
    currency: string;
    attempt: number;
    idempotencyKey: string;
  }
>;

export type PaymentCaptureFailed = Event<
  'PaymentCaptureFailed',
  { capitalRequestId: string; commitment: number; attempt: number; reason: string }
>;

export type DisbursementRequested = Event<
  'DisbursementRequested',
  { capitalRequestId: string; ventureId: string; amount: string; currency: string; attempt: number; idempotencyKey: string }
>;

export type FundsDisbursed = Event<
  'FundsDisbursed',
  { capitalRequestId: string; payoutId: string; amount: string; currency: string; totalDisbursed: string }
>;

export type DisbursementFailed = Event<
  'DisbursementFailed',
  { capitalRequestId: string; attempt: number; idempotencyKey: string; reason: string }
>;

export type PaymentRefunded = Event<
  'PaymentRefunded',
  { capitalRequestId: string; paymentId: string; refundId: string; amount: string; currency: string; totalRefunded: string }
>;

export type CapitalRequestCancelled = Event<'CapitalRequestCancelled', { capitalRequestId: string; cancelledBy: string; reason: string }>;

export type CapitalWorkflowEvent =
  | CapitalReadinessConfirmed
  | CapitalReadinessAwaited
  | DueDiligenceStarted
  | DueDiligenceApproved
  | DueDiligenceRejected
  | CapitalProposed
  | CapitalRequestExpired
  | CommitmentReleased
  | PaymentCaptureRequested
  | PaymentCaptureFailed
  | DisbursementRequested
  | FundsDisbursed
  | DisbursementFailed
  | PaymentRefunded
  | CapitalRequestCancelled;
