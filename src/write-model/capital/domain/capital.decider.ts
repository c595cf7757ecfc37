import type { Decider } from '../../../shared/decider';
import type { CapitalCommand } from './capital.commands';
import { decide } from './capital.decide';
import type { CapitalEvent } from './capital.events';
import { evolve, initialState, type CapitalState } from './capital.state';

export const capitalDecider: Decider<CapitalState, CapitalCommand, CapitalEvent> = { initialState, evolve, decide };

export const streamId = (capitalRequestId: string): string => `capital-${capitalRequestId}`;

export const capitalEventTypes = [
  'CapitalRequested',
  'InvestmentCommitted',
  'PaymentCaptured',
  'CapitalReadinessConfirmed',
  'CapitalReadinessAwaited',
  'DueDiligenceStarted',
  'DueDiligenceApproved',
  'DueDiligenceRejected',
  'CapitalProposed',
  'CapitalRequestExpired',
  'CommitmentReleased',
  'PaymentCaptureRequested',
  'PaymentCaptureFailed',
  'DisbursementRequested',
  'FundsDisbursed',
  'DisbursementFailed',
  'PaymentRefunded',
  'CapitalRequestCancelled',
] as const satisfies readonly CapitalEvent['type'][];
export const capitalCommandTypes = [
  'RequestCapital',
  'CommitInvestment',
  'CapturePayment',
  'CheckCapitalReadiness',
  'StartDueDiligence',
  'ApproveDueDiligence',
  'RejectDueDiligence',
  'ProposeCapital',
  'ExpireCapitalRequest',
  'CancelCapitalRequest',
  'RequestPaymentCapture',
  'RecordPaymentCaptureFailure',
  'ReleaseCommitment',
  'RequestDisbursement',
  'RecordDisbursement',
  'RecordDisbursementFailure',
  'RecordRefund',
] as const satisfies readonly CapitalCommand['type'][];
export type CapitalEventType = (typeof capitalEventTypes)[number];
export type CapitalCommandType = (typeof capitalCommandTypes)[number];

/** Fails to compile when an event or command type is added to its union but not to the list above. */
const _typeListsComplete: [Exclude<CapitalEvent['type'], CapitalEventType>, Exclude<CapitalCommand['type'], CapitalCommandType>] extends [never, never]
  ? true
  : never = true;

export const isCapitalEventType = (type: string): type is CapitalEventType => (capitalEventTypes as readonly string[]).includes(type);
export const isCapitalCommandType = (type: string): type is CapitalCommandType => (capitalCommandTypes as readonly string[]).includes(type);
