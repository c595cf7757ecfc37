import type { StoredEvent } from '../../write-model/event-store/event-store.port';

interface Item {
  readonly events: readonly StoredEvent[];
  /** The read that produced this batch reached the end of the log. */
  readonly endOfLog: boolean;
}

export interface Taken {
  readonly events: StoredEvent[];
  readonly endOfLog: boolean;
}

/**
 * Between a subscription and the applier: the subscription reads the next batch while the previous one is
 * being written (read-ahead of `capacity` batches), and the applier merges queued batches into one
 * transaction of up to `maxEvents`. `push` resolves when there is room again, which is the back-pressure the
 * subscription waits on.
 */
export class BatchQueue {
  private items: Item[] = [];
  private wakeTaker: (() => void) | undefined;
  private roomWaiters: (() => void)[] = [];
  private isClosed = false;

  constructor(
    private readonly capacity: number,
    private readonly readSize: number,
  ) {}

  push(events: readonly StoredEvent[]): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    this.items.push({ events, endOfLog: events.length < this.readSize });
    this.wakeTaker?.();
    if (this.items.length < this.capacity) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** The next events in log order, or undefined once closed. */
  async take(maxEvents: number): Promise<Taken | undefined> {
    while (this.items.length === 0 && !this.isClosed) {
      await new Promise<void>((resolve) => (this.wakeTaker = resolve));
      this.wakeTaker = undefined;
    }
    if (this.isClosed) return undefined;
    const events: StoredEvent[] = [];
    let endOfLog = false;
    while (this.items.length > 0 && (events.length === 0 || events.length + (this.items[0]?.events.length ?? 0) <= maxEvents)) {
      const item = this.items.shift() as Item;
      for (const e of item.events) events.push(e);
      endOfLog = item.endOfLog;
    }
    for (const w of this.roomWaiters.splice(0)) w();
    return { events, endOfLog: endOfLog && this.items.length === 0 };
  }

  get closed(): boolean {
    return this.isClosed;
  }

  close(): void {
    this.isClosed = true;
    this.items = [];
    this.wakeTaker?.();
    for (const w of this.roomWaiters.splice(0)) w();
  }
}
