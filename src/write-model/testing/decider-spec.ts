import { DomainError, type Command, type Decider, type DomainErrorCode, type Event } from '../../shared/decider';

/**
 * given(events) / when(command) / then(events | error), after Emmett's `DeciderSpecification`: the state is
 * only ever built by folding `evolve` over the given events, exactly as a command handler rebuilds it.
 */
export interface DeciderThen<E extends Event> {
  then: (expected: readonly E[]) => void;
  thenNothing: () => void;
  /** Checks `field` and `message` only when given. */
  thenThrows: (code: DomainErrorCode, field?: string, message?: string | RegExp) => void;
}

export interface DeciderGiven<C extends Command, E extends Event> {
  when: (command: C) => DeciderThen<E>;
}

export interface DeciderSpec<C extends Command, E extends Event> {
  given: (events: readonly E[]) => DeciderGiven<C, E>;
}

const caught = (run: () => unknown): unknown => {
  try {
    const result = run();
    return new Error(`expected decide to throw a DomainError, it returned ${JSON.stringify(result)}`);
  } catch (error) {
    return error;
  }
};

const forDecider = <S, C extends Command, E extends Event>(decider: Decider<S, C, E>): DeciderSpec<C, E> => ({
  given: (events) => ({
    when: (command) => {
      const decide = (): readonly E[] => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
      return {
        then: (expected) => expect(decide()).toEqual(expected),
        thenNothing: () => expect(decide()).toEqual([]),
        thenThrows: (code, field, message) => {
          const error = caught(decide);
          if (!(error instanceof DomainError)) throw error;
          expect(error.code).toBe(code);
          if (field !== undefined) expect(error.field).toBe(field);
          if (message !== undefined) expect(error.message).toMatch(message);
        },
      };
    },
  }),
});

export const DeciderSpecification = { for: forDecider };
