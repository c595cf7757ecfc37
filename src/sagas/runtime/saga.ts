import type { StoredEvent } from '../../write-model/event-store/event-store.port';

/**
 * A saga (process manager) is a value: pure functions over the events it handles. The runtime folds each event into
 * the instance's state with `evolve`, then asks `decide(newState, event)` for commands and timers. Everything it
 * decides must follow from the state and the event alone (time included: use `event.occurredAt`), so a redelivered
 * event gives the same decision, and the runtime's deterministic command ids make its effects happen once.
 */

/** A command the saga asks for: an aggregate command, or an effect at an outside party (the payment provider). */
export interface SagaCommand {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * A deferred command, fired at most once when due unless cancelled first. `id` names the timer within its saga
 * instance: scheduling an id that exists does nothing, so a distinct deadline needs a distinct id.
 */
export interface TimerRequest {
  readonly id: string;
  readonly dueAt: string;
  readonly command: SagaCommand;
}

export interface Decision {
  readonly commands: readonly SagaCommand[];
  readonly timers: readonly TimerRequest[];
  /** Ids of this instance's timers to cancel, or 'all' of them (retries of effects in flight are never cancelled). */
  readonly cancelTimers: readonly string[] | 'all';
}

export const nothing: Decision = { commands: [], timers: [], cancelTimers: [] };

export const decision = (parts: Partial<Decision>): Decision => ({ ...nothing, ...parts });

/** Where an event goes: one instance by key (which the event may start), or every live instance with an association. */
export type Correlation = { readonly key: string; readonly starts: boolean } | { readonly association: string };

export interface Saga<S> {
  readonly name: string;
  readonly canHandle: readonly string[];
  readonly correlate: (event: StoredEvent) => Correlation | undefined;
  readonly initialState: () => S;
  readonly evolve: (state: S, event: StoredEvent) => S;
  readonly decide: (state: S, event: StoredEvent) => Decision;
  /** The association values `correlate` can find this instance by. */
  readonly associations: (state: S) => readonly string[];
  /** A finished instance keeps its state but no associations and no timers. */
  readonly isDone: (state: S) => boolean;
}

/** The event as the saga's own event union (after `canHandle`, the store having validated and upcast it). */
export type Envelope<E extends { type: string; data: unknown }> = E extends unknown ? Omit<StoredEvent, 'type' | 'data'> & E : never;

export const asEnvelope = <E extends { type: string; data: unknown }>(event: StoredEvent): Envelope<E> => event as unknown as Envelope<E>;

const DAY_MS = 86_400_000;
export const addMs = (instant: string, ms: number): string => new Date(new Date(instant).getTime() + ms).toISOString();
export const days = (n: number): number => n * DAY_MS;
