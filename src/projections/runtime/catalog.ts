import type { Pool } from 'pg';
import type { Queryable } from './queryable';

export type GenerationStatus = 'building' | 'live' | 'retired';

export interface GenerationRow {
  readonly projection: string;
  readonly generation: number;
  readonly version: number;
  readonly layoutHash: string;
  readonly status: GenerationStatus;
  readonly position: string | undefined;
  readonly eventsProcessed: number;
  readonly eventsPerSecond: number;
  readonly indexesReady: boolean;
  readonly headAtStart: string | undefined;
  readonly startedAt: Date;
  readonly liveAt: Date | undefined;
  readonly updatedAt: Date;
}

export interface ProjectionRow {
  readonly name: string;
  readonly liveGeneration: number | undefined;
  readonly leaseToken: number;
  readonly leaseOwner: string | undefined;
  readonly paused: boolean;
  readonly rebuildRequestedAt: Date | undefined;
  readonly state: string;
  readonly lastError: string | undefined;
  readonly updatedAt: Date;
}

interface GenerationRecord {
  projection: string;
  generation: number;
  version: number;
  layout_hash: string;
  status: GenerationStatus;
  position: string | null;
  events_processed: string;
  events_per_second: number;
  indexes_ready: boolean;
  head_at_start: string | null;
  started_at: Date;
  live_at: Date | null;
  updated_at: Date;
}

interface ProjectionRecord {
  name: string;
  live_generation: number | null;
  lease_token: string;
  lease_owner: string | null;
  paused: boolean;
  rebuild_requested_at: Date | null;
  state: string;
  last_error: string | null;
  updated_at: Date;
}

const toGeneration = (r: GenerationRecord): GenerationRow => ({
  projection: r.projection,
  generation: r.generation,
  version: r.version,
  layoutHash: r.layout_hash,
  status: r.status,
  position: r.position ?? undefined,
  eventsProcessed: Number(r.events_processed),
  eventsPerSecond: r.events_per_second,
  indexesReady: r.indexes_ready,
  headAtStart: r.head_at_start ?? undefined,
  startedAt: r.started_at,
  liveAt: r.live_at ?? undefined,
  updatedAt: r.updated_at,
});

const toProjection = (r: ProjectionRecord): ProjectionRow => ({
  name: r.name,
  liveGeneration: r.live_generation ?? undefined,
  leaseToken: Number(r.lease_token),
  leaseOwner: r.lease_owner ?? undefined,
  paused: r.paused,
  rebuildRequestedAt: r.rebuild_requested_at ?? undefined,
  state: r.state,
  lastError: r.last_error ?? undefined,
  updatedAt: r.updated_at,
});

/** The runtime's bookkeeping: projections (pointer to the live generation, lease token, operator flags) and generations. */
export class Catalog {
  constructor(private readonly pool: Pool) {}

  async ensure(name: string): Promise<void> {
    await this.pool.query('INSERT INTO proj_projections (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
  }

  async projection(name: string, db: Queryable = this.pool): Promise<ProjectionRow | undefined> {
    const res = await db.query<ProjectionRecord>('SELECT * FROM proj_projections WHERE name = $1', [name]);
    return res.rows[0] ? toProjection(res.rows[0]) : undefined;
  }

  async projections(): Promise<ProjectionRow[]> {
    const res = await this.pool.query<ProjectionRecord>('SELECT * FROM proj_projections ORDER BY name');
    return res.rows.map(toProjection);
  }

  async generations(name: string, db: Queryable = this.pool): Promise<GenerationRow[]> {
    const res = await db.query<GenerationRecord>('SELECT * FROM proj_generations WHERE projection = $1 ORDER BY generation', [name]);
    return res.rows.map(toGeneration);
  }

  async allGenerations(): Promise<GenerationRow[]> {
    const res = await this.pool.query<GenerationRecord>("SELECT * FROM proj_generations WHERE status <> 'retired' ORDER BY projection, generation");
    return res.rows.map(toGeneration);
  }

  async generation(name: string, generation: number, db: Queryable = this.pool): Promise<GenerationRow | undefined> {
    const res = await db.query<GenerationRecord>('SELECT * FROM proj_generations WHERE projection = $1 AND generation = $2', [name, generation]);
    return res.rows[0] ? toGeneration(res.rows[0]) : undefined;
  }

  async insertGeneration(
    db: Queryable,
    g: { name: string; generation: number; version: number; layoutHash: string; status: GenerationStatus; headAtStart: string | undefined; indexesReady: boolean },
  ): Promise<void> {
    await db.query(
      `INSERT INTO proj_generations (projection, generation, version, layout_hash, status, head_at_start, indexes_ready, live_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $5 = 'live' THEN now() END)`,
      [g.name, g.generation, g.version, g.layoutHash, g.status, g.headAtStart ?? null, g.indexesReady],
    );
  }

  async nextGeneration(name: string, db: Queryable = this.pool): Promise<number> {
    const res = await db.query<{ next: number }>(
      `SELECT greatest(coalesce(max(generation), 0), coalesce((SELECT live_generation FROM proj_projections WHERE name = $1), 0)) + 1 AS next
       FROM proj_generations WHERE projection = $1`,
      [name],
    );
    return res.rows[0]?.next ?? 1;
  }

  async deleteGeneration(db: Queryable, name: string, generation: number): Promise<void> {
    await db.query('DELETE FROM proj_generations WHERE projection = $1 AND generation = $2', [name, generation]);
  }

  /** Checkpoint of a generation, in the transaction of the rows it covers; wakes readers waiting for a position. */
  async checkpoint(db: Queryable, name: string, generation: number, position: string, processed: number, rate: number): Promise<void> {
    await db.query(
      `WITH updated AS (
         UPDATE proj_generations SET position = $3, events_processed = events_processed + $4, events_per_second = $5, updated_at = now()
         WHERE projection = $1 AND generation = $2 RETURNING status)
       SELECT pg_notify('proj_progress', $1 || ' ' || $3) FROM updated WHERE status = 'live'`,
      [name, generation, position, processed, rate],
    );
  }

  /**
   * The same checkpoint as one literal statement, to send together with COMMIT in one round trip (the
   * live path's latency is round trips). `escape` quotes a text literal (the client's escapeLiteral).
   */
  checkpointSql(escape: (text: string) => string, name: string, generation: number, position: string, processed: number, rate: number): string {
    const [n, p] = [escape(name), escape(position)];
    const r = Number.isFinite(rate) ? rate : 0;
    return `WITH updated AS (
         UPDATE proj_generations SET position = ${p}, events_processed = events_processed + ${Math.trunc(processed)}, events_per_second = ${r}, updated_at = now()
         WHERE projection = ${n} AND generation = ${Math.trunc(generation)} RETURNING status)
       SELECT pg_notify('proj_progress', ${n} || ' ' || ${p}) FROM updated WHERE status = 'live'`;
  }

  async setIndexesReady(db: Queryable, name: string, generation: number): Promise<void> {
    await db.query('UPDATE proj_generations SET indexes_ready = true WHERE projection = $1 AND generation = $2', [name, generation]);
  }

  /** The swap's bookkeeping: the building generation becomes live, the live one retired, the pointer moves. */
  async promote(db: Queryable, name: string, generation: number): Promise<void> {
    await db.query(`UPDATE proj_generations SET status = 'retired', updated_at = now() WHERE projection = $1 AND status = 'live'`, [name]);
    await db.query(`UPDATE proj_generations SET status = 'live', live_at = now(), updated_at = now() WHERE projection = $1 AND generation = $2`, [
      name,
      generation,
    ]);
    await db.query('UPDATE proj_projections SET live_generation = $2, updated_at = now() WHERE name = $1', [name, generation]);
  }

  async setLive(db: Queryable, name: string, generation: number): Promise<void> {
    await db.query('UPDATE proj_projections SET live_generation = $2, updated_at = now() WHERE name = $1', [name, generation]);
  }

  async setState(name: string, state: string, lastError?: string): Promise<void> {
    await this.pool.query('UPDATE proj_projections SET state = $2, last_error = $3, updated_at = now() WHERE name = $1', [name, state, lastError ?? null]);
  }

  async clearRebuildRequest(db: Queryable, name: string): Promise<void> {
    await db.query('UPDATE proj_projections SET rebuild_requested_at = NULL WHERE name = $1', [name]);
  }
}
