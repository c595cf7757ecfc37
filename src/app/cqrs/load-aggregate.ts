import type { Command, Decider, Event } from '../../shared/decider';
import type { EventStore, StoredEvent } from '../../write-model/event-store/event-store.port';

export interface LoadedAggregate<S> {
  readonly state: S;
  /** -1 when the stream does not exist. */
  readonly revision: number;
  /** The tenant of the stream's first event; undefined when the stream does not exist. */
  readonly tenant: string | undefined;
  /** The first event, undefined when the stream does not exist (its actor created the aggregate). */
  readonly first: StoredEvent | undefined;
}

/**
 * Folds a stream into its state, as the command runner does, for checks made before side effects (a name
 * reservation). The store validates and upcasts every event it returns, so they are the decider's events.
 */
export async function loadAggregate<S, C extends Command, E extends Event>(
  store: EventStore,
  decider: Decider<S, C, E>,
  streamId: string,
): Promise<LoadedAggregate<S>> {
  const history = await store.readStream(streamId);
  const state = history.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as E), decider.initialState());
  return { state, revision: history.length - 1, tenant: history[0]?.metadata.tenant, first: history[0] };
}
