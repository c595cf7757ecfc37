import { setTimeout as sleep } from 'node:timers/promises';
import { linksToWriters } from '../../infra/observability/event-links';
import { inSpan } from '../../infra/observability/tracing';
import type { EventStore, StoredEvent } from '../../write-model/event-store/event-store.port';
import { BatchQueue } from './batch-queue';
import { asError } from './fold';
import { LeaseLostError } from './lease';
import type { LogSource } from './log-tail';

export interface BatchResult {
  /** The checkpoint after the batch (unchanged when nothing was applied). */
  readonly position: string | undefined;
  /** The poison event a `stop` policy stopped at. */
  readonly stoppedAt?: StoredEvent;
}

const RATE_WINDOW_MS = 5000;

export type RunnerStop = { readonly kind: 'poison'; readonly event: StoredEvent } | { readonly kind: 'lease-lost' };

export interface RunnerOptions {
  readonly name: string;
  /** What the runner drives, for its batch spans (the name alone when unset). */
  readonly projection?: { readonly name: string; readonly generation: number };
  /** For the head position and position comparisons. */
  readonly store: EventStore;
  /** Where events are read (the process's shared tail of the log, or the store). */
  readonly source: LogSource;
  /** The committed checkpoint, read again at every (re)start so an unknown commit outcome is never replayed blindly. */
  readonly checkpoint: () => Promise<string | undefined>;
  /** Writes a batch and its checkpoint atomically (PostgreSQL) or idempotently (Elasticsearch). */
  readonly apply: (events: readonly StoredEvent[], eventsPerSecond: number) => Promise<BatchResult>;
  readonly readSize: number;
  readonly maxBatchEvents: number;
  /** After a batch when the log had nothing more, and when idle at the head. */
  readonly onCaughtUp?: () => void;
  /** The runner stopped by itself (poison event under a `stop` policy, lease lost). */
  readonly onStopped: (stop: RunnerStop) => void;
  /** An error that the runner retries (with back-off) from its checkpoint. */
  readonly onRetry: (error: Error) => void;
  readonly idleCheckMs?: number;
}

/**
 * Drives one generation of a projection: reads the log from its checkpoint (from the shared tail when live),
 * reads ahead while a batch is applied, applies batches in order, and restarts from the committed checkpoint
 * after any error.
 */
export class Runner {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private current: string | undefined;
  /** Events applied per batch in the last RATE_WINDOW_MS (wall clock: a rate the operator can compare with the log's). */
  private readonly applied: { at: number; events: number }[] = [];
  private startedAt = Date.now();
  private lastApplied = Date.now();
  private caughtUpFlag = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RunnerOptions) {}

  get position(): string | undefined {
    return this.current;
  }

  get eventsPerSecond(): number {
    const now = Date.now();
    while (this.applied.length > 0 && now - (this.applied[0]?.at ?? now) > RATE_WINDOW_MS) this.applied.shift();
    const events = this.applied.reduce((n, a) => n + a.events, 0);
    const window = Math.min(RATE_WINDOW_MS, Math.max(500, now - this.startedAt));
    return (events * 1000) / window;
  }

  get caughtUp(): boolean {
    return this.caughtUpFlag;
  }

  start(): void {
    this.startedAt = Date.now();
    this.loop ??= this.run();
    const idleMs = this.options.idleCheckMs ?? 1000;
    this.idleTimer = setInterval(() => void this.checkIdle(idleMs), idleMs);
    this.idleTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.abort?.();
    await this.loop;
  }

  private abort: (() => void) | undefined;

  private async run(): Promise<void> {
    let backoff = 100;
    while (!this.stopping) {
      let queue: BatchQueue | undefined;
      let reader: Promise<void> | undefined;
      try {
        this.current = await this.options.checkpoint();
        if (this.stopping) break;
        const q = new BatchQueue(2, this.options.readSize);
        queue = q;
        // `stop` closes the queue, which ends `take` (it checks `stopping` first: set before this line ran).
        this.abort = () => q.close();
        reader = this.read(q, this.current);
        for (;;) {
          const taken = await q.take(this.options.maxBatchEvents);
          if (taken === undefined || this.stopping) break;
          const result = await this.traced(taken.events, () => this.options.apply(taken.events, this.eventsPerSecond));
          this.current = result.position ?? this.current;
          this.lastApplied = Date.now();
          this.applied.push({ at: this.lastApplied, events: taken.events.length });
          backoff = 100;
          if (result.stoppedAt) {
            this.stopping = true;
            this.options.onStopped({ kind: 'poison', event: result.stoppedAt });
            break;
          }
          this.caughtUpFlag = taken.endOfLog;
          if (taken.endOfLog) this.options.onCaughtUp?.();
        }
      } catch (error) {
        if (error instanceof LeaseLostError) {
          this.stopping = true;
          this.options.onStopped({ kind: 'lease-lost' });
        } else if (!this.stopping) {
          this.options.onRetry(asError(error));
          await sleep(backoff);
          backoff = Math.min(backoff * 2, 5000);
        }
      } finally {
        queue?.close();
        await reader;
      }
    }
  }

  /**
   * One span per applied batch, in its own trace, linked to the spans that wrote the batch's events (the first
   * MAX_EVENT_LINKS distinct ones).
   */
  private traced(events: readonly StoredEvent[], apply: () => Promise<BatchResult>): Promise<BatchResult> {
    const projection = this.options.projection?.name ?? this.options.name;
    const attributes = {
      'projection.name': projection,
      'projection.generation': this.options.projection?.generation,
      'batch.events': events.length,
      'batch.from_position': events[0]?.position,
      'batch.to_position': events[events.length - 1]?.position,
    };
    return inSpan(`projection ${projection} batch`, attributes, async (span) => {
      const result = await apply();
      if (result.stoppedAt) span.setAttribute('projection.poison_event.id', result.stoppedAt.eventId);
      return result;
    }, { root: true, links: linksToWriters(events) });
  }

  /** Reads ahead of the applier into the queue until it is closed; read errors are retried here. */
  private async read(queue: BatchQueue, from: string | undefined): Promise<void> {
    let after = from;
    let backoff = 100;
    while (!queue.closed) {
      try {
        const events = await this.options.source.read(after, this.options.readSize);
        backoff = 100;
        if (events.length === 0) {
          await this.options.source.wait(after, 250);
          continue;
        }
        after = events[events.length - 1]?.position ?? after;
        await queue.push(events);
      } catch (error) {
        this.options.onRetry(asError(error));
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  /** A subscription at the head delivers nothing, so "caught up" is also checked against the head when idle. */
  private async checkIdle(idleMs: number): Promise<void> {
    if (this.stopping || Date.now() - this.lastApplied < idleMs) return;
    try {
      const head = await this.options.store.headPosition();
      const atHead = head === undefined || (this.current !== undefined && this.options.store.comparePositions(this.current, head) >= 0);
      this.caughtUpFlag = atHead;
      if (atHead && !this.stopping) this.options.onCaughtUp?.();
    } catch (error) {
      this.options.onRetry(asError(error));
    }
  }
}
