import type { CapitalEvent } from '../../write-model/capital/domain/capital.events';
import { capitalDecider } from '../../write-model/capital/domain/capital.decider';
import type { CapitalState } from '../../write-model/capital/domain/capital.state';
import type { StoredEvent } from '../../write-model/event-store/event-store.port';

const STEPS: Record<CapitalEvent['type'], string> = {
  CapitalRequested: 'REQUESTED',
  CapitalReadinessAwaited: 'READINESS_AWAITED',
  CapitalReadinessConfirmed: 'READINESS_CONFIRMED',
  DueDiligenceStarted: 'DUE_DILIGENCE_STARTED',
  DueDiligenceApproved: 'DUE_DILIGENCE_APPROVED',
  DueDiligenceRejected: 'DUE_DILIGENCE_REJECTED',
  CapitalProposed: 'PROPOSED',
  InvestmentCommitted: 'INVESTMENT_COMMITTED',
  CommitmentReleased: 'COMMITMENT_RELEASED',
  PaymentCaptureRequested: 'CAPTURE_REQUESTED',
  PaymentCaptureFailed: 'CAPTURE_FAILED',
  PaymentCaptured: 'PAYMENT_CAPTURED',
  DisbursementRequested: 'DISBURSEMENT_REQUESTED',
  FundsDisbursed: 'FUNDS_DISBURSED',
  DisbursementFailed: 'DISBURSEMENT_FAILED',
  PaymentRefunded: 'PAYMENT_REFUNDED',
  CapitalRequestExpired: 'EXPIRED',
  CapitalRequestCancelled: 'CANCELLED',
};

export interface TimelineEntry {
  readonly step: string;
  readonly status: string;
  readonly eventType: string;
  readonly actor: string;
  readonly at: string;
  readonly revision: number;
  readonly position: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface CapitalTimeline {
  readonly capitalRequestId: string;
  readonly status: string;
  readonly entries: readonly TimelineEntry[];
}

/** The timeline of one capital request from its stream (validated and upcast by the store); each step with the status after it. */
export function capitalTimeline(capitalRequestId: string, events: readonly StoredEvent[]): CapitalTimeline | null {
  let state: CapitalState = capitalDecider.initialState();
  const entries = events.map((event) => {
    const domainEvent = { type: event.type, data: event.data } as CapitalEvent;
    state = capitalDecider.evolve(state, domainEvent);
    return {
      step: STEPS[domainEvent.type] ?? event.type,
      status: state.status,
      eventType: event.type,
      actor: event.metadata.actor,
      at: event.occurredAt,
      revision: event.revision,
      position: event.position,
      data: event.data,
    };
  });
  return state.status === 'NONE' ? null : { capitalRequestId, status: state.status, entries };
}
