import { Client } from 'pg';

/**
 * One LISTEN connection per store that wakes every subscription when an append commits (NOTIFY is sent by
 * `es_append` and delivered at commit). Notifications are only a hint: subscriptions also poll, so a lost
 * connection or a missed notification delays an event by at most the poll interval, never loses it.
 */
export class LogNotifier {
  private client: Client | undefined;
  private generation = 0;
  private waiters = new Set<() => void>();
  private closed = false;
  private connecting: Promise<void> | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  /** A counter that moves on every notification: read it before a read, pass it to `wait`. */
  get seen(): number {
    return this.generation;
  }

  start(): Promise<void> {
    this.connecting ??= this.connect();
    return this.connecting;
  }

  /** Resolves at the next notification after `generation`, after `timeoutMs`, or on close. */
  wait(generation: number, timeoutMs: number): Promise<void> {
    if (this.closed || generation !== this.generation) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeAll();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private wakeAll(): void {
    this.generation++;
    for (const w of [...this.waiters]) w();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client({ connectionString: this.connectionString });
    client.on('notification', () => this.wakeAll());
    client.on('error', (error) => {
      this.onError(error);
      this.reconnectLater(client);
    });
    client.on('end', () => this.reconnectLater(client));
    try {
      await client.connect();
      await client.query('LISTEN es_events');
      this.client = client;
      this.wakeAll(); // anything appended while we were not listening is picked up by the next read
    } catch (error) {
      this.onError(error instanceof Error ? error : new Error(String(error)));
      this.reconnectLater(client);
    }
  }

  private reconnectLater(client: Client): void {
    if (this.closed || (this.client !== undefined && this.client !== client)) return;
    this.client = undefined;
    client.removeAllListeners();
    void client.end().catch(() => undefined);
    setTimeout(() => void this.connect(), 1000).unref();
  }
}
