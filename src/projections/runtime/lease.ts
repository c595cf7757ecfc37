import { Client, type Pool } from 'pg';
import type { Queryable } from './queryable';

/** First key of the two-key advisory locks that are projection leases (the event store uses one-key locks). */
export const LEASE_LOCK_CLASS = 727;

/** Second key: a 31-bit FNV-1a hash of the projection name (non-negative, so it reads back as pg_locks.objid). */
export function leaseKey(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash & 0x7fffffff;
}

/** Another process took the projection over: this one must not write it any more. */
export class LeaseLostError extends Error {
  constructor(projection: string) {
    super(`projection ${projection}: the lease is held by another process`);
    this.name = 'LeaseLostError';
  }
}

/**
 * One connection per projector process that holds the leases of the projections it runs: session-level
 * advisory locks, released by PostgreSQL the moment the process or its connection dies, so a waiting process
 * takes over. The same connection listens for operator requests (`proj_control`).
 *
 * An advisory lock alone cannot stop a process that lost its connection but still has a write in flight on
 * another one, so each holder also bumps a fencing token and every write transaction checks it first
 * (`fence`): the bump waits for writes in flight under the old token, and later ones fail.
 */
export class LeaseConnection {
  private client: Client | undefined;
  private readonly held = new Set<string>();
  private readonly lostListeners = new Set<() => void>();
  private readonly controlListeners = new Set<(action: string, projection: string) => void>();
  private connecting: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly connectionString: string,
    private readonly onError: (error: Error) => void = () => undefined,
    private readonly applicationName = 'projector-lease',
  ) {}

  onLost(listener: () => void): void {
    this.lostListeners.add(listener);
  }

  onControl(listener: (action: string, projection: string) => void): void {
    this.controlListeners.add(listener);
  }

  /** Takes the projection's lease if nobody holds it; false when another session does (or we are disconnected). */
  async tryAcquire(name: string): Promise<boolean> {
    if (this.held.has(name)) return true;
    const client = await this.connected();
    if (client === undefined) return false;
    const res = await this.serially(() => client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [LEASE_LOCK_CLASS, leaseKey(name)]));
    const ok = res.rows[0]?.ok === true;
    // The connection may have died while the query was in flight: then the lock died with it.
    if (ok && this.client === client) this.held.add(name);
    return ok && this.client === client;
  }

  async release(name: string): Promise<void> {
    const client = this.client;
    if (!this.held.delete(name) || client === undefined) return;
    await this.serially(() => client.query('SELECT pg_advisory_unlock($1, $2)', [LEASE_LOCK_CLASS, leaseKey(name)])).catch(() => undefined);
  }

  /** One statement at a time on the shared connection (every projection's controller uses it). */
  private queue: Promise<unknown> = Promise.resolve();

  private serially<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  holds(name: string): boolean {
    return this.held.has(name);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.held.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connected(): Promise<Client | undefined> {
    if (this.client === undefined && !this.closed) {
      this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
      await this.connecting;
    }
    return this.client;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.connectionString, application_name: this.applicationName });
    client.on('error', (error) => {
      this.onError(error);
      this.lose(client);
    });
    client.on('end', () => this.lose(client));
    client.on('notification', (n) => {
      const [action, projection] = (n.payload ?? '').split(' ');
      if (n.channel === 'proj_control' && action && projection) for (const l of this.controlListeners) l(action, projection);
    });
    try {
      await client.connect();
      await client.query('LISTEN proj_control');
      this.client = client;
    } catch (error) {
      this.onError(error instanceof Error ? error : new Error(String(error)));
      client.removeAllListeners();
      await client.end().catch(() => undefined);
    }
  }

  /** The connection is gone and every lease with it: holders must stop writing at once. */
  private lose(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners();
    void client.end().catch(() => undefined);
    if (this.held.size === 0) return;
    this.held.clear();
    for (const l of this.lostListeners) l();
  }
}

/** Bumps the projection's fencing token for a new holder; waits for writes still in flight under the old one. */
export async function takeFencingToken(pool: Pool, name: string, owner: string): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT 1 FROM proj_projections WHERE name = $1 FOR UPDATE', [name]);
    const res = await client.query<{ lease_token: string }>(
      'UPDATE proj_projections SET lease_token = lease_token + 1, lease_owner = $2, updated_at = now() WHERE name = $1 RETURNING lease_token',
      [name, owner],
    );
    await client.query('COMMIT');
    return Number(res.rows[0]?.lease_token);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** First statement of every write transaction: fails unless this holder's token is still the current one. */
export async function fence(db: Queryable, name: string, token: number): Promise<void> {
  const res = await db.query<{ lease_token: string }>('SELECT lease_token FROM proj_projections WHERE name = $1 FOR KEY SHARE', [name]);
  if (Number(res.rows[0]?.lease_token) !== token) throw new LeaseLostError(name);
}

/** Names whose lease some session holds right now (for status: a projection nobody holds is STOPPED). */
export async function heldLeases(db: Queryable, names: readonly string[]): Promise<Set<string>> {
  const res = await db.query<{ objid: string }>(
    `SELECT objid::text AS objid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objsubid = 2 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [LEASE_LOCK_CLASS],
  );
  const keys = new Set(res.rows.map((r) => Number(r.objid)));
  return new Set(names.filter((n) => keys.has(leaseKey(n))));
}
