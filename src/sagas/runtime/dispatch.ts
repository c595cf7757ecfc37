import { v5 as uuidv5 } from 'uuid';
import type { SagaCommand } from './saga';

/** What a dispatched command carries besides its data (it becomes the command's metadata). */
export interface DispatchContext {
  /** Deterministic: derived from the saga, the instance, the triggering event (or timer) and the command's index. */
  readonly commandId: string;
  readonly tenant: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: string;
  readonly now: string;
}

/**
 * Carries out a saga's commands. It must be idempotent by `context.commandId` (the command runner is; provider
 * effects pass a business idempotency key to the provider). It throws `RetryLater` for a transient failure whose
 * outcome may be unknown (a provider timeout): the runtime retries the same command with the same id later.
 */
export interface SagaDispatcher {
  dispatch(command: SagaCommand, context: DispatchContext): Promise<void>;
}

export class RetryLater extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RetryLater';
  }
}

const COMMAND_ID_NAMESPACE = '3c7e1f0a-9d42-4b8e-a6f1-5b2d8c9e0f17';

export const deriveCommandId = (...parts: readonly (string | number)[]): string => uuidv5(parts.join('\n'), COMMAND_ID_NAMESPACE);

/** Exponential backoff for retries: 250 ms, 500 ms, 1 s ... capped at `maxMs`. */
export const backoffMs = (attempt: number, baseMs = 250, maxMs = 60_000): number => Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
