import type { EventStore, StoredEvent, Subscription } from '../../write-model/event-store/event-store.port';

/** Where a runner reads the log: the recent tail from memory, anything older from the store. */
export interface LogSource {
  /** Events after `after` (exclusive), at most `max`, in log order; empty when none are known yet. */
  read(after: string | undefined, max: number): Promise<StoredEvent[]>;
  /** Resolves when events after `after` may exist, or after `timeoutMs`. */
  wait(after: string | undefined, timeoutMs: number): Promise<void>;
}

/**
 * One subscription per projector process to the head of the log, keeping the latest events in memory, so
 * live runners (all at about the same position) share one read per append instead of one each, and wake
 * with the events already in hand. The kept events are contiguous: after `start`, every event of the log up
 * to the last one, in order, as the store's subscription delivers them (no gaps, no reordering). A runner
 * behind what is kept reads from the store; so does one ahead of it.
 */
export class LogTail implements LogSource {
  private events: StoredEvent[] = [];
  /** Exclusive start of the kept events: the position just before `events[0]` (undefined: the log's start). */
  private start: string | undefined;
  private last: string | undefined;
  private waiters = new Set<() => void>();
  private subscription: Subscription | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly capacity = 20_000,
  ) {}

  /** Follows the log from its current head. */
  async open(onError: (error: Error) => void): Promise<void> {
    const head = await this.store.headPosition();
    this.start = head;
    this.last = head;
    this.subscription = this.store.subscribe({
      after: head,
      batchSize: 2000,
      onError,
      onEvents: (batch) => {
        this.append(batch);
        return Promise.resolve();
      },
    });
  }

  async close(): Promise<void> {
    for (const w of [...this.waiters]) w();
    await this.subscription?.close();
  }

  async read(after: string | undefined, max: number): Promise<StoredEvent[]> {
    if (this.covers(after)) {
      const from = after === this.start || after === undefined ? 0 : this.indexAfter(after);
      return this.events.slice(from, from + max);
    }
    return this.store.readAll({ after, maxCount: max });
  }

  wait(after: string | undefined, timeoutMs: number): Promise<void> {
    // Nothing is known after `after` only when it is at (or past) the last event seen: then wait for more.
    if (this.subscription === undefined) return new Promise((resolve) => setTimeout(resolve, Math.min(timeoutMs, 200)));
    const atHead = this.last === undefined || (after !== undefined && this.store.comparePositions(after, this.last) >= 0);
    if (!atHead) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  /** `after` is `start`, or the position of a kept event. */
  private covers(after: string | undefined): boolean {
    if (this.subscription === undefined) return false;
    if (after === this.start) return true;
    if (after === undefined || this.events.length === 0 || this.last === undefined) return false;
    const first = this.events[0] as StoredEvent;
    return this.store.comparePositions(after, first.position) >= 0 && this.store.comparePositions(after, this.last) <= 0;
  }

  /** Index of the first kept event after `after` (binary search: positions increase). */
  private indexAfter(after: string): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.store.comparePositions((this.events[mid] as StoredEvent).position, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private append(batch: readonly StoredEvent[]): void {
    if (batch.length === 0) return;
    for (const e of batch) this.events.push(e);
    this.last = batch[batch.length - 1]?.position;
    if (this.events.length > this.capacity) {
      const drop = this.events.length - this.capacity;
      this.start = this.events[drop - 1]?.position;
      this.events = this.events.slice(drop);
    }
    for (const w of [...this.waiters]) w();
  }
}

/** No shared tail (tests, tools): every read goes to the store, waiting is polling. */
export function storeSource(store: EventStore, pollMs = 200): LogSource {
  return {
    read: (after, max) => store.readAll({ after, maxCount: max }),
    wait: (_after, timeoutMs) => new Promise((resolve) => setTimeout(resolve, Math.min(timeoutMs, pollMs))),
  };
}
