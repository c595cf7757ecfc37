import type { Pool } from 'pg';
import type { Queryable } from './queryable';
import type { StoredEvent } from '../../write-model/event-store/event-store.port';

export type DeadLetterStatus = 'pending' | 'retry_requested' | 'retried' | 'skipped';

export interface DeadLetter {
  readonly id: string;
  readonly projection: string;
  readonly generation: number;
  readonly eventId: string;
  readonly position: string;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly error: string;
  readonly status: DeadLetterStatus;
  readonly attempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface DeadLetterRecord {
  id: string;
  projection: string;
  generation: number;
  event_id: string;
  position: string;
  stream_id: string;
  revision: number;
  type: string;
  error: string;
  status: DeadLetterStatus;
  attempts: number;
  created_at: Date;
  updated_at: Date;
}

const toDeadLetter = (r: DeadLetterRecord): DeadLetter => ({
  id: r.id,
  projection: r.projection,
  generation: r.generation,
  eventId: r.event_id,
  position: r.position,
  streamId: r.stream_id,
  revision: r.revision,
  type: r.type,
  error: r.error,
  status: r.status,
  attempts: r.attempts,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** Open: not applied and not accepted by an operator. */
export const OPEN_STATUSES: readonly DeadLetterStatus[] = ['pending', 'retry_requested'];

const MAX_ERROR_LENGTH = 4000;

/**
 * Events a projection could not apply, with the error. One row per (projection, event): a rebuild that meets
 * the same event again counts another attempt; an operator's `skipped` decision survives it.
 */
export class DeadLetters {
  constructor(private readonly pool: Pool) {}

  async record(db: Queryable, projection: string, generation: number, failures: readonly { event: StoredEvent; error: Error }[]): Promise<void> {
    if (failures.length === 0) return;
    const rows = failures.map(({ event, error }) => ({
      event_id: event.eventId,
      position: event.position,
      stream_id: event.streamId,
      revision: event.revision,
      type: event.type,
      error: `${error.name}: ${error.message}`.slice(0, MAX_ERROR_LENGTH),
    }));
    await db.query(
      `INSERT INTO proj_dead_letters (projection, generation, event_id, position, stream_id, revision, type, error)
       SELECT $1, $2, event_id, position, stream_id, revision, type, error
       FROM json_to_recordset($3::json) AS x(event_id text, position text, stream_id text, revision integer, type text, error text)
       ON CONFLICT (projection, event_id) DO UPDATE SET
         error = EXCLUDED.error, generation = EXCLUDED.generation, attempts = proj_dead_letters.attempts + 1, updated_at = now(),
         status = CASE WHEN proj_dead_letters.status = 'skipped' THEN 'skipped' ELSE 'pending' END`,
      [projection, generation, JSON.stringify(rows)],
    );
  }

  /** Status of every dead letter of the projection that is not resolved, by event id. */
  async unresolved(projection: string, db: Queryable = this.pool): Promise<Map<string, DeadLetterStatus>> {
    const res = await db.query<{ event_id: string; status: DeadLetterStatus }>(
      `SELECT event_id, status FROM proj_dead_letters WHERE projection = $1 AND status <> 'retried'`,
      [projection],
    );
    return new Map(res.rows.map((r) => [r.event_id, r.status]));
  }

  async markRetried(db: Queryable, projection: string, eventIds: readonly string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await db.query(
      `UPDATE proj_dead_letters SET status = 'retried', updated_at = now() WHERE projection = $1 AND event_id = ANY($2::text[]) AND status <> 'skipped'`,
      [projection, eventIds],
    );
  }

  async list(projection: string, options: { includeResolved?: boolean; limit?: number } = {}): Promise<DeadLetter[]> {
    const res = await this.pool.query<DeadLetterRecord>(
      `SELECT * FROM proj_dead_letters WHERE projection = $1 AND ($2 OR status IN ('pending', 'retry_requested'))
       ORDER BY id LIMIT $3`,
      [projection, options.includeResolved === true, options.limit ?? 1000],
    );
    return res.rows.map(toDeadLetter);
  }

  async get(projection: string, id: string, db: Queryable = this.pool): Promise<DeadLetter | undefined> {
    if (!/^[0-9]{1,18}$/.test(id)) return undefined;
    const res = await db.query<DeadLetterRecord>('SELECT * FROM proj_dead_letters WHERE projection = $1 AND id = $2', [projection, id]);
    return res.rows[0] ? toDeadLetter(res.rows[0]) : undefined;
  }

  async byStatus(projection: string, status: DeadLetterStatus): Promise<DeadLetter[]> {
    const res = await this.pool.query<DeadLetterRecord>('SELECT * FROM proj_dead_letters WHERE projection = $1 AND status = $2 ORDER BY id', [
      projection,
      status,
    ]);
    return res.rows.map(toDeadLetter);
  }

  async countOpen(): Promise<Map<string, number>> {
    const res = await this.pool.query<{ projection: string; n: number }>(
      `SELECT projection, count(*)::int AS n FROM proj_dead_letters WHERE status IN ('pending', 'retry_requested') GROUP BY projection`,
    );
    return new Map(res.rows.map((r) => [r.projection, r.n]));
  }

  async setStatus(db: Queryable, projection: string, id: string, status: DeadLetterStatus, error?: string): Promise<void> {
    await db.query(
      `UPDATE proj_dead_letters SET status = $3, error = coalesce($4, error), updated_at = now(),
         attempts = attempts + CASE WHEN $4::text IS NULL THEN 0 ELSE 1 END
       WHERE projection = $1 AND id = $2`,
      [projection, id, status, error === undefined ? null : error.slice(0, MAX_ERROR_LENGTH)],
    );
  }
}
