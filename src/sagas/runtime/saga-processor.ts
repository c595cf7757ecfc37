import type { Logger } from '../../infra/logger';
import { inSpan, linkFromTraceparent } from '../../infra/observability/tracing';
import { DomainError } from '../../shared/decider';
import { SchemaValidationError } from '../../shared/schemas/schema-validation-error';
import type { EventStore, StoredEvent, Subscription } from '../../write-model/event-store/event-store.port';
import { planBatch, type InstancePlan, type PlannedCommand, type TimerRow } from './batch-plan';
import { backoffMs, RetryLater, type SagaDispatcher } from './dispatch';
import { faultPoint } from './faults';
import { SagaLease, sleep } from './lease';
import type { Saga, SagaCommand } from './saga';
import { SagaRepository, type DeadLetter } from './saga-repository';

export interface Clock {
  now(): Date;
}

export interface SagaProcessorOptions<S> {
  readonly saga: Saga<S>;
  /** The store to subscribe to: events arrive as stored; `decode` validates and upcasts each one. */
  readonly store: EventStore;
  readonly decode?: (event: StoredEvent) => StoredEvent;
  readonly connectionString: string;
  readonly dispatcher: SagaDispatcher;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly timerPollMs?: number;
  readonly leaseRetryMs?: number;
  readonly restartDelayMs?: number;
  readonly batchSize?: number;
  /** Instances whose commands are dispatched at once (each instance's own commands go one after another). */
  readonly concurrency?: number;
  /** A refused command that is a CONFLICT is retried this many times before it goes to the dead letters. */
  readonly conflictRetries?: number;
}

const systemClock: Clock = { now: () => new Date() };

type Outcome = { readonly retry?: TimerRow; readonly deadLetter?: DeadLetter };

/**
 * Runs one saga: holds its lease, subscribes to the log after its checkpoint and fires its due timers, one thing at a
 * time (events and timers never touch an instance concurrently). For each batch it plans (pure), dispatches the
 * planned commands (at least once, idempotent by command id), then commits the instances, timers and checkpoint in one
 * transaction. A crash between dispatch and commit redelivers the batch, which plans and dispatches the same commands
 * with the same ids: their effects happen once.
 */
export class SagaProcessor<S> {
  private stopped = false;
  private lease: SagaLease | undefined;
  private repo: SagaRepository | undefined;
  private serial: Promise<unknown> = Promise.resolve();
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly clock: Clock;

  constructor(private readonly options: SagaProcessorOptions<S>) {
    this.clock = options.clock ?? systemClock;
  }

  get name(): string {
    return this.options.saga.name;
  }

  /** True while this process holds the saga's lease. */
  get active(): boolean {
    return this.lease !== undefined && !this.lease.isLost;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** Fires due timers now instead of at the next poll (tests that move the clock). */
  async fireDueTimers(): Promise<void> {
    await this.exclusive(() => this.fireDue());
  }

  private async run(): Promise<void> {
    const { saga, logger } = this.options;
    while (!this.stopped) {
      const lease = await SagaLease.acquire(this.options.connectionString, saga.name, this.options.leaseRetryMs ?? 1000, () => this.stopped, (error) =>
        logger.warn({ err: error, saga: saga.name }, 'saga lease: cannot reach PostgreSQL'),
      );
      if (lease === undefined) break;
      this.lease = lease;
      this.repo = new SagaRepository(lease.client, saga.name);
      logger.info({ saga: saga.name }, 'saga lease acquired');
      try {
        await this.runWhileLeased(lease, this.repo);
      } catch (error: unknown) {
        logger.error({ err: error, saga: saga.name }, 'saga processing failed: restarting from the checkpoint');
      } finally {
        this.lease = undefined;
        await lease.release();
      }
      if (!this.stopped) await sleep(this.options.restartDelayMs ?? 1000, () => this.stopped);
    }
  }

  private async runWhileLeased(lease: SagaLease, repo: SagaRepository): Promise<void> {
    let failure: Error | undefined;
    const done = new Promise<void>((resolve) => {
      this.wake = resolve;
      lease.onLost(() => {
        failure ??= new Error('the saga lease connection was lost');
        resolve();
      });
    });
    const after = await repo.checkpoint();
    const subscription: Subscription = this.options.store.subscribe({
      ...(after !== undefined && { after }),
      batchSize: this.options.batchSize ?? 500,
      onEvents: (events) => this.exclusive(() => this.handleBatch(events)),
      onError: (error) => {
        failure ??= error;
        this.wake?.();
      },
    });
    const timers = this.timerLoop(() => failure !== undefined || this.stopped || lease.isLost, (error) => {
      failure ??= error;
      this.wake?.();
    });
    await done;
    await subscription.close();
    await timers;
    await this.serial.catch(() => undefined);
    if (failure !== undefined && !this.stopped) throw failure;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.serial.then(work, work);
    this.serial = next.catch(() => undefined);
    return next;
  }

  private async timerLoop(over: () => boolean, fail: (error: Error) => void): Promise<void> {
    const poll = this.options.timerPollMs ?? 250;
    while (!over()) {
      try {
        await this.exclusive(() => this.fireDue());
      } catch (error: unknown) {
        fail(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      await sleep(poll, over);
    }
  }

  private async handleBatch(events: readonly StoredEvent[]): Promise<void> {
    const repo = this.requireRepo();
    const { saga } = this.options;
    const deadLetters: DeadLetter[] = [];
    const decoded: StoredEvent[] = [];
    const handled = new Set(saga.canHandle);
    for (const event of events) {
      if (!handled.has(event.type)) continue;
      try {
        decoded.push(this.options.decode ? this.options.decode(event) : event);
      } catch (error: unknown) {
        deadLetters.push({ key: null, eventId: event.eventId, position: event.position, command: null, error: `unreadable event: ${message(error)}` });
      }
    }
    const keys = new Set<string>();
    const associations = new Set<string>();
    for (const event of decoded) {
      const target = saga.correlate(event);
      if (target === undefined) continue;
      if ('key' in target) keys.add(target.key);
      else associations.add(target.association);
    }
    const loaded = await repo.load<S>([...keys], [...associations]);
    const plans = [...planBatch(saga, decoded, loaded).values()];
    const retries: TimerRow[] = [];
    await this.inParallel(plans, async (plan) => {
      for (const planned of plan.commands) {
        const outcome = await this.carryOut(plan.key, planned, planned.commandId, 0);
        if (outcome.retry) retries.push(outcome.retry);
        if (outcome.deadLetter) deadLetters.push(outcome.deadLetter);
      }
    });
    await repo.commitBatch({
      plans,
      associations: saga.associations,
      isDone: saga.isDone,
      timers: retries,
      deadLetters,
      position: events[events.length - 1]?.position,
    });
    for (const type of new Set(decoded.map((e) => e.type))) faultPoint(`checkpointed:${type}`);
  }

  private async fireDue(): Promise<void> {
    const repo = this.repo;
    if (repo === undefined || this.lease?.isLost !== false) return;
    const due = await repo.beginDueTimers(this.clock.now(), 200);
    if (due.length === 0) {
      await repo.abortTimers();
      return;
    }
    const retries: TimerRow[] = [];
    const deadLetters: DeadLetter[] = [];
    try {
      const byKey = new Map<string, TimerRow[]>();
      for (const timer of due) byKey.set(timer.key, [...(byKey.get(timer.key) ?? []), timer]);
      await this.inParallel([...byKey.values()], async (timers) => {
        for (const timer of timers) {
          const outcome = await this.carryOut(timer.key, { command: timer.command, meta: timer.meta }, timer.commandId, timer.attempt);
          faultPoint(`timer:${timer.command.type}`);
          if (outcome.retry) retries.push(outcome.retry);
          if (outcome.deadLetter) deadLetters.push(outcome.deadLetter);
        }
      });
    } catch (error) {
      await repo.abortTimers().catch(() => undefined);
      throw error;
    }
    await repo.finishTimers(
      due.map((t) => t.id),
      retries,
      deadLetters,
    );
  }

  /**
   * Dispatches one command; a transient failure becomes a retry timer, a refusal a dead letter, anything else throws.
   * The step runs in its own trace (span `saga <name> <command>`), linked to the span that wrote the triggering event,
   * so the commands it runs are its children and their events carry a `traceparent` of this trace.
   */
  private async carryOut(key: string, planned: Pick<PlannedCommand, 'command' | 'meta'> & { readonly event?: StoredEvent }, commandId: string, attempt: number): Promise<Outcome> {
    const { saga, dispatcher, logger } = this.options;
    const { command, meta, event } = planned;
    const context = { commandId, tenant: meta.tenant, correlationId: meta.correlationId, causationId: meta.causationId, actor: `saga:${saga.name}`, now: this.clock.now().toISOString() };
    const link = linkFromTraceparent(event?.metadata['traceparent'] ?? meta.traceparent, { 'event.id': meta.causationId, 'correlation.id': meta.correlationId });
    const attributes = {
      'saga.name': saga.name,
      'saga.key': key,
      'saga.trigger': event === undefined ? 'timer' : 'event',
      'saga.attempt': attempt,
      'command.type': command.type,
      'command.id': commandId,
      'correlation.id': meta.correlationId,
      'causation.id': meta.causationId,
      'event.type': event?.type,
      'event.position': event?.position,
    };
    try {
      const step = (): Promise<void> => dispatcher.dispatch(command, context);
      await inSpan(`saga ${saga.name} ${command.type}`, attributes, step, { root: true, correlationId: meta.correlationId, ...(link && { links: [link] }) });
      faultPoint(`dispatched:${command.type}`);
      return {};
    } catch (error: unknown) {
      const retryable = error instanceof RetryLater || (error instanceof DomainError && error.code === 'CONFLICT' && attempt < (this.options.conflictRetries ?? 3));
      if (retryable) {
        const next = attempt + 1;
        const localId = `retry:${commandId}:${next}`;
        logger.warn({ saga: saga.name, key, command: command.type, attempt: next, err: error, correlationId: meta.correlationId }, 'saga command will be retried');
        const dueAt = new Date(this.clock.now().getTime() + backoffMs(next)).toISOString();
        return { retry: { id: `${saga.name}:${key}:${localId}`, key, localId, kind: 'retry', dueAt, command, meta, commandId, attempt: next } };
      }
      if (error instanceof DomainError || error instanceof SchemaValidationError) {
        logger.error({ saga: saga.name, key, command: command.type, err: error, correlationId: meta.correlationId }, 'saga command refused: dead-lettered');
        return { deadLetter: { key, eventId: meta.causationId, position: null, command, error: `${error.name}: ${error.message}` } };
      }
      throw error;
    }
  }

  private async inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const workers = Array.from({ length: Math.min(items.length, this.options.concurrency ?? 32) }, async () => {
      for (let i = next++; i < items.length; i = next++) await work(items[i] as T);
    });
    await Promise.all(workers);
  }

  private requireRepo(): SagaRepository {
    if (this.repo === undefined || this.lease?.isLost !== false) throw new Error(`saga ${this.name}: the lease is not held`);
    return this.repo;
  }
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export type { InstancePlan, SagaCommand };
