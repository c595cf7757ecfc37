import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '../../../write-model/event-store/event-store.port';
import { nothing, type Decision, type Saga } from '../saga';

/** An event as the log would deliver it; `at` is its occurredAt (the saga's only clock). */
export const logged = (type: string, data: Record<string, unknown>, at = '2026-05-01T10:00:00.000Z', streamId = 'test-1'): StoredEvent => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  streamId,
  revision: 0,
  position: '1',
  occurredAt: at,
  data,
  metadata: { correlationId: 'corr-1', causationId: 'cause-1', actor: 'someone', tenant: 'tenant-a' },
});

/** given(events) / when(event) / then(decision): the state is only ever built by folding `evolve`, as the runtime does. */
export const SagaSpecification = {
  for: <S>(saga: Saga<S>) => ({
    given: (events: readonly StoredEvent[]) => ({
      when: (event: StoredEvent) => {
        const state = saga.evolve(events.reduce(saga.evolve, saga.initialState()), event);
        const decided = saga.decide(state, event);
        return {
          state,
          decision: decided,
          then: (expected: Partial<Decision>): void => expect(decided).toEqual({ ...nothing, ...expected }),
          thenNothing: (): void => expect(decided).toEqual(nothing),
        };
      },
    }),
  }),
};
