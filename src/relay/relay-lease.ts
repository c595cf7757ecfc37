import { Client } from 'pg';

/** First key of the relay's two-key advisory locks (projection leases use 727). */
export const RELAY_LOCK_CLASS = 7300;

/** Second key: a 31-bit FNV-1a hash of the relay name. */
export function relayLockKey(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash & 0x7fffffff;
}

/** The session that held the lease is gone: another relay instance may be publishing now. */
export class RelayLeaseLostError extends Error {
  constructor(name: string) {
    super(`relay ${name}: lease lost (its PostgreSQL session ended)`);
    this.name = 'RelayLeaseLostError';
  }
}

/**
 * One dedicated PostgreSQL session that holds the relay's lease (a session-level advisory lock, released by
 * PostgreSQL the moment the process or its connection dies) and is the only writer of its checkpoint. Writing
 * the checkpoint on the lock's own session fences it: a relay that lost its session cannot move the checkpoint
 * any more, and a new holder finds the last checkpoint its predecessor wrote.
 */
export class RelayLease {
  private client: Client | undefined;
  private lost = false;

  private constructor(
    private readonly name: string,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Connects and tries the lock once: the lease, or undefined when another session holds it. */
  static async tryAcquire(connectionString: string, name: string, onError: (error: Error) => void): Promise<RelayLease | undefined> {
    const lease = new RelayLease(name, onError);
    const client = new Client({ connectionString, application_name: `relay-lease:${name}` });
    client.on('error', (error) => {
      lease.lost = true;
      onError(error);
    });
    client.on('end', () => (lease.lost = true));
    await client.connect();
    try {
      // A checkpoint lost in a PostgreSQL crash only means a batch published again (consumers dedupe): no need
      // to wait for the WAL flush of each checkpoint write.
      await client.query('SET synchronous_commit = off');
      const res = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [RELAY_LOCK_CLASS, relayLockKey(name)]);
      if (res.rows[0]?.ok !== true) {
        await client.end();
        return undefined;
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    lease.client = client;
    return lease;
  }

  get held(): boolean {
    return this.client !== undefined && !this.lost;
  }

  /** Exclusive position of the next event to publish; undefined when nothing was ever published. */
  async checkpoint(): Promise<string | undefined> {
    const res = await this.session().query<{ position: string }>('SELECT position FROM relay_checkpoints WHERE name = $1', [this.name]);
    return res.rows[0]?.position;
  }

  /** Only after the broker acknowledged everything up to `position`. */
  async saveCheckpoint(position: string): Promise<void> {
    await this.session().query(
      `INSERT INTO relay_checkpoints (name, position, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
      [this.name, position],
    );
  }

  /** Ends the session, which releases the lock. */
  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.lost = true;
    await client?.end().catch((error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))));
  }

  private session(): Client {
    if (this.client === undefined || this.lost) throw new RelayLeaseLostError(this.name);
    return this.client;
  }
}
