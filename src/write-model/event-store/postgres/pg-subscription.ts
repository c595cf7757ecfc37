import type { ReadAllOptions, StoredEvent, SubscribeOptions, Subscription } from '../event-store.port';
import type { LogNotifier } from './log-notifier';

const POLL_FALLBACK_MS = 500;
const READ_RETRY_MS = 1000;

/**
 * Catch-up then live: reads the log after its position in batches until it is empty, then waits for a
 * NOTIFY (or the polling fallback) and reads again. Delivery is in log order, one batch at a time; the
 * position only moves once the handler's promise resolved. A handler error stops the subscription (the
 * caller decides how to restart it, from its own checkpoint); a read error is retried.
 */
export class PgSubscription implements Subscription {
  private closed = false;
  private current: string | undefined;
  private readonly loop: Promise<void>;

  constructor(
    private readonly readAll: (options: ReadAllOptions) => Promise<StoredEvent[]>,
    private readonly notifier: LogNotifier,
    private readonly options: SubscribeOptions,
  ) {
    this.current = options.after;
    this.loop = this.run();
  }

  get position(): string | undefined {
    return this.current;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    await this.notifier.start();
    const batchSize = this.options.batchSize ?? 500;
    while (!this.closed) {
      const generation = this.notifier.seen;
      let batch: StoredEvent[];
      try {
        batch = await this.readAll({ after: this.current, maxCount: batchSize });
      } catch (error) {
        this.options.onError?.(asError(error));
        await this.notifier.wait(generation, READ_RETRY_MS);
        continue;
      }
      if (this.closed) return;
      if (batch.length === 0) {
        await this.notifier.wait(generation, POLL_FALLBACK_MS);
        continue;
      }
      try {
        await this.options.onEvents(batch);
      } catch (error) {
        this.closed = true;
        this.options.onError?.(asError(error));
        return;
      }
      this.current = batch[batch.length - 1]?.position ?? this.current;
    }
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
