import type { AllStreamSubscription } from '@eventstore/db-client';
import type { StoredEvent, SubscribeOptions, Subscription } from '../event-store.port';
import { toStoredEvent } from './esdb-mapping';

/**
 * Wraps EventStoreDB's catch-up subscription to $all: events are handed over one batch at a time (batches
 * form while the handler is busy), in log order, and the position only moves once the handler resolved.
 */
export class EsdbSubscription implements Subscription {
  private current: string | undefined;
  private readonly done: Promise<void>;
  private closed = false;

  constructor(
    private readonly source: AllStreamSubscription,
    private readonly options: SubscribeOptions,
  ) {
    this.current = options.after;
    this.done = this.run();
  }

  get position(): string | undefined {
    return this.current;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.source.unsubscribe();
    await this.done;
  }

  private async run(): Promise<void> {
    try {
      for await (const resolved of this.source) {
        if (this.closed) return;
        const e: StoredEvent | undefined = toStoredEvent(resolved);
        if (!e || (this.current !== undefined && e.position <= this.current)) continue;
        await this.options.onEvents([e]);
        this.current = e.position;
      }
    } catch (error) {
      if (!this.closed) this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
