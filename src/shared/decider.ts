/**
 * The pure building blocks of the write model (after Emmett's decider). Nothing here does I/O: time, ids
 * and the actor arrive in the command, so `decide` and `evolve` are deterministic and unit-testable.
 */

/** A domain event as the domain sees it: the store adds the envelope (ids, revision, position, metadata). */
export type Event<Type extends string = string, Data extends Record<string, unknown> = Record<string, unknown>> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

export interface CommandContext {
  /** The instant the command is decided at (injected clock). */
  readonly now: string;
  /** The authenticated subject. */
  readonly actor: string;
  readonly tenant: string;
}

export type Command<Type extends string = string, Data extends Record<string, unknown> = Record<string, unknown>> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  context: CommandContext;
}>;

export interface Decider<State, C extends Command, E extends Event> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: E) => State;
  /** Returns the events the command causes (possibly none) or throws a `DomainError`. */
  readonly decide: (command: C, state: State) => readonly E[];
}

export type DomainErrorCode = 'BAD_USER_INPUT' | 'CONFLICT' | 'NOT_FOUND' | 'FORBIDDEN';

/** A rule of the domain refused the command. `field` names the offending input field when there is one. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (field: string, message: string): DomainError => new DomainError('BAD_USER_INPUT', message, field);
export const notFound = (message: string): DomainError => new DomainError('NOT_FOUND', message);
export const conflict = (message: string): DomainError => new DomainError('CONFLICT', message);
