import type { Pool } from 'pg';
import type { EventStore } from '../../write-model/event-store/event-store.port';

export interface SagaStatus {
  readonly name: string;
  readonly position: string | null;
  readonly headPosition: string | null;
  /** Events in the log after the saga's checkpoint (counted up to LAG_LIMIT). */
  readonly lag: number;
  /** Timers (and retries) due now and not fired yet: more than a few means the worker is behind or down. */
  readonly dueTimers: number;
  readonly scheduledTimers: number;
  readonly nextTimerDueAt: string | null;
  readonly activeInstances: number;
  readonly deadLetters: number;
  /** Whether a worker holds the saga's lease right now. */
  readonly leaseHeld: boolean;
  readonly updatedAt: string | null;
}

export const LAG_LIMIT = 10_000;

interface Row {
  name: string;
  position: string | null;
  updated_at: Date | null;
  due: string;
  scheduled: string;
  next_due: Date | null;
  active: string;
  dead: string;
  lease_held: boolean;
}

/** The operator's view of the sagas: lag, timers, instances, dead letters and leases, from PostgreSQL and the log. */
export async function sagaStatus(pool: Pool, store: EventStore, names: readonly string[], now: Date = new Date()): Promise<SagaStatus[]> {
  const res = await pool.query<Row>(
    `SELECT n.name, c.position, c.updated_at,
            (SELECT count(*) FROM saga_timers t WHERE t.saga = n.name AND t.fired_at IS NULL AND t.cancelled_at IS NULL AND t.due_at <= $2) AS due,
            (SELECT count(*) FROM saga_timers t WHERE t.saga = n.name AND t.fired_at IS NULL AND t.cancelled_at IS NULL) AS scheduled,
            (SELECT min(due_at) FROM saga_timers t WHERE t.saga = n.name AND t.fired_at IS NULL AND t.cancelled_at IS NULL) AS next_due,
            (SELECT count(*) FROM saga_instances i WHERE i.saga = n.name AND NOT i.done) AS active,
            (SELECT count(*) FROM saga_dead_letters d WHERE d.saga = n.name) AS dead,
            EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted
                      AND l.classid = 728 AND l.objid = hashtext(n.name)::oid AND l.objsubid = 2) AS lease_held
       FROM unnest($1::text[]) AS n(name) LEFT JOIN saga_checkpoints c ON c.name = n.name`,
    [names, now],
  );
  const head = (await store.headPosition()) ?? null;
  return Promise.all(
    res.rows.map(async (r) => ({
      name: r.name,
      position: r.position,
      headPosition: head,
      lag: head === null ? 0 : (await store.readAll({ ...(r.position !== null && { after: r.position }), maxCount: LAG_LIMIT })).length,
      dueTimers: Number(r.due),
      scheduledTimers: Number(r.scheduled),
      nextTimerDueAt: r.next_due?.toISOString() ?? null,
      activeInstances: Number(r.active),
      deadLetters: Number(r.dead),
      leaseHeld: r.lease_held,
      updatedAt: r.updated_at?.toISOString() ?? null,
    })),
  );
}
