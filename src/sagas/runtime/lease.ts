import { Client } from 'pg';

/** First key of the two-key advisory locks that are saga leases (projections use 727, the event store a one-key lock). */
export const SAGA_LOCK_CLASS = 728;

/**
 * One active worker per saga: a session-level advisory lock on a dedicated connection, released by PostgreSQL the
 * moment the process or its connection dies, so a waiting worker takes over. The saga's state, timers and checkpoint
 * are written through this same connection, so a worker that lost its lease can no longer write them (fencing); the
 * commands it may still dispatch are idempotent.
 */
export class SagaLease {
  private lost = false;
  private lostListener: (() => void) | undefined;

  private constructor(
    readonly client: Client,
    readonly name: string,
  ) {
    const onGone = (): void => {
      if (this.lost) return;
      this.lost = true;
      this.lostListener?.();
    };
    client.on('error', onGone);
    client.on('end', onGone);
  }

  /** Waits (retrying every `retryMs`) until this process holds the lease, or returns undefined once `stopped()`. */
  static async acquire(connectionString: string, name: string, retryMs: number, stopped: () => boolean, onError: (error: Error) => void): Promise<SagaLease | undefined> {
    while (!stopped()) {
      const client = new Client({ connectionString, application_name: `saga-lease:${name}`.slice(0, 63) });
      client.on('error', onError);
      try {
        await client.connect();
        const res = await client.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS held', [SAGA_LOCK_CLASS, name]);
        if (res.rows[0]?.held === true) {
          client.removeListener('error', onError);
          return new SagaLease(client, name);
        }
      } catch (error: unknown) {
        onError(error instanceof Error ? error : new Error(String(error)));
      }
      await client.end().catch(() => undefined);
      await sleep(retryMs, stopped);
    }
    return undefined;
  }

  get isLost(): boolean {
    return this.lost;
  }

  onLost(listener: () => void): void {
    this.lostListener = listener;
    if (this.lost) listener();
  }

  async release(): Promise<void> {
    this.lost = true;
    await this.client.end().catch(() => undefined);
  }
}

/** Sleeps up to `ms`, waking early (every 50 ms) once `stopped()`. */
export async function sleep(ms: number, stopped: () => boolean = () => false): Promise<void> {
  const until = Date.now() + ms;
  while (!stopped() && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, until - Date.now())));
  }
}
