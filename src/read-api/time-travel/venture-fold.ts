import type { StoredEvent } from '../../write-model/event-store/event-store.port';
import { isVentureEventType, ventureDecider } from '../../write-model/venture/domain/venture.decider';
import type { VentureEvent } from '../../write-model/venture/domain/venture.events';
import type { VentureState } from '../../write-model/venture/domain/venture.state';

/** A venture's fold plus what the view needs beyond the decider's state. */
export interface VentureFold {
  readonly state: VentureState;
  readonly revision: number;
  readonly tenant: string | undefined;
  readonly createdAt: string | undefined;
  readonly updatedAt: string | undefined;
  /** The latest occurredAt seen (events of a stream need not be in time order). */
  readonly maxOccurredAt: string | undefined;
}

export const emptyFold: VentureFold = {
  state: ventureDecider.initialState(),
  revision: -1,
  tenant: undefined,
  createdAt: undefined,
  updatedAt: undefined,
  maxOccurredAt: undefined,
};

export function foldVenture(start: VentureFold, events: readonly StoredEvent[]): VentureFold {
  let fold = start;
  for (const e of events) {
    if (!isVentureEventType(e.type)) continue;
    fold = {
      state: ventureDecider.evolve(fold.state, { type: e.type, data: e.data } as VentureEvent),
      revision: e.revision,
      tenant: fold.tenant ?? e.metadata.tenant,
      createdAt: fold.createdAt ?? e.occurredAt,
      updatedAt: e.occurredAt,
      maxOccurredAt: fold.maxOccurredAt === undefined || e.occurredAt > fold.maxOccurredAt ? e.occurredAt : fold.maxOccurredAt,
    };
  }
  return fold;
}
