import type { Client } from 'pg';
import type { Instance, InstancePlan, TimerMeta, TimerRow } from './batch-plan';
import type { SagaCommand } from './saga';
import { decodeState, encodeState } from './state-codec';

export interface DeadLetter {
  readonly key: string | null;
  readonly eventId: string | null;
  readonly position: string | null;
  readonly command: SagaCommand | null;
  readonly error: string;
}

export interface DueTimer extends TimerRow {
  readonly meta: TimerMeta;
}

interface InstanceRow {
  key: string;
  tenant: string;
  state: unknown;
}

/** The SQL of the saga runtime. Every write goes through the lease connection (see `SagaLease`). */
export class SagaRepository {
  constructor(
    private readonly db: Client,
    private readonly saga: string,
  ) {}

  async checkpoint(): Promise<string | undefined> {
    const res = await this.db.query<{ position: string | null }>('SELECT position FROM saga_checkpoints WHERE name = $1', [this.saga]);
    return res.rows[0]?.position ?? undefined;
  }

  /** The instances with these keys, and the live ones holding any of these associations. */
  async load<S>(keys: readonly string[], associations: readonly string[]): Promise<Map<string, Instance<S>>> {
    if (keys.length === 0 && associations.length === 0) return new Map();
    const res = await this.db.query<InstanceRow>(
      `SELECT key, tenant, state FROM saga_instances
        WHERE saga = $1 AND (key = ANY($2::text[]) OR (NOT done AND associations && $3::text[]))`,
      [this.saga, keys, associations],
    );
    return new Map(res.rows.map((r) => [r.key, { key: r.key, tenant: r.tenant, state: decodeState(r.state) as S }]));
  }

  /** One transaction: instance states, timer changes, retries, dead letters and the checkpoint. */
  async commitBatch<S>(args: {
    readonly plans: readonly InstancePlan<S>[];
    readonly associations: (state: S) => readonly string[];
    readonly isDone: (state: S) => boolean;
    readonly timers: readonly TimerRow[];
    readonly deadLetters: readonly DeadLetter[];
    readonly position: string | undefined;
  }): Promise<void> {
    await this.inTransaction(async () => {
      const { plans } = args;
      if (plans.length > 0) {
        const rows = plans.map((p) => {
          const done = args.isDone(p.state);
          return { key: p.key, tenant: p.tenant, state: encodeState(p.state), associations: done ? [] : args.associations(p.state), done };
        });
        await this.db.query(
          `INSERT INTO saga_instances (saga, key, tenant, state, associations, done, updated_at)
           SELECT $1, x.key, x.tenant, x.state, x.associations, x.done, now()
             FROM jsonb_to_recordset($2::jsonb) AS x(key text, tenant text, state jsonb, associations text[], done boolean)
           ON CONFLICT (saga, key) DO UPDATE SET state = EXCLUDED.state, associations = EXCLUDED.associations,
             done = EXCLUDED.done, updated_at = now()`,
          [this.saga, JSON.stringify(rows)],
        );
        const all = plans.filter((p) => p.cancelAll || args.isDone(p.state)).map((p) => p.key);
        const some = plans.flatMap((p) => [...p.cancelIds].map((id) => ({ key: p.key, id })));
        if (all.length > 0 || some.length > 0) {
          await this.db.query(
            `UPDATE saga_timers t SET cancelled_at = now()
              WHERE t.saga = $1 AND t.fired_at IS NULL AND t.cancelled_at IS NULL AND t.kind = 'timer'
                AND (t.key = ANY($2::text[]) OR (t.key, t.local_id) IN (SELECT x.key, x.id FROM jsonb_to_recordset($3::jsonb) AS x(key text, id text)))`,
            [this.saga, all, JSON.stringify(some)],
          );
        }
      }
      await this.insertTimers([...plans.filter((p) => !args.isDone(p.state)).flatMap((p) => [...p.timers.values()]), ...args.timers]);
      await this.insertDeadLetters(args.deadLetters);
      if (args.position !== undefined) {
        await this.db.query(
          `INSERT INTO saga_checkpoints (name, position, updated_at) VALUES ($1, $2, now())
           ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
          [this.saga, args.position],
        );
      }
    });
  }

  /** Due timers, locked until `finishTimers` commits (or the connection dies and they fire again). */
  async beginDueTimers(now: Date, limit: number): Promise<DueTimer[]> {
    await this.db.query('BEGIN');
    try {
      const res = await this.db.query<{
        id: string;
        key: string;
        local_id: string;
        kind: 'timer' | 'retry';
        due_at: Date;
        command: SagaCommand;
        meta: TimerMeta;
        command_id: string;
        attempt: number;
      }>(
        `SELECT id, key, local_id, kind, due_at, command, meta, command_id, attempt FROM saga_timers
          WHERE saga = $1 AND fired_at IS NULL AND cancelled_at IS NULL AND due_at <= $2
          ORDER BY due_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
        [this.saga, now, limit],
      );
      return res.rows.map((r) => ({
        id: r.id,
        key: r.key,
        localId: r.local_id,
        kind: r.kind,
        dueAt: r.due_at.toISOString(),
        command: r.command,
        meta: r.meta,
        commandId: r.command_id,
        attempt: r.attempt,
      }));
    } catch (error) {
      await this.db.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async finishTimers(fired: readonly string[], retries: readonly TimerRow[], deadLetters: readonly DeadLetter[]): Promise<void> {
    try {
      await this.db.query('UPDATE saga_timers SET fired_at = now() WHERE id = ANY($1::text[])', [fired]);
      await this.insertTimers(retries);
      await this.insertDeadLetters(deadLetters);
      await this.db.query('COMMIT');
    } catch (error) {
      await this.db.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async abortTimers(): Promise<void> {
    await this.db.query('ROLLBACK');
  }

  /** When the next live timer is due, if any. */
  async nextDue(): Promise<Date | undefined> {
    const res = await this.db.query<{ due: Date | null }>(
      'SELECT min(due_at) AS due FROM saga_timers WHERE saga = $1 AND fired_at IS NULL AND cancelled_at IS NULL',
      [this.saga],
    );
    return res.rows[0]?.due ?? undefined;
  }

  private async insertTimers(timers: readonly TimerRow[]): Promise<void> {
    if (timers.length === 0) return;
    const rows = timers.map((t) => ({
      id: t.id,
      key: t.key,
      local_id: t.localId,
      kind: t.kind,
      due_at: t.dueAt,
      command: t.command,
      meta: t.meta,
      command_id: t.commandId,
      attempt: t.attempt,
    }));
    await this.db.query(
      `INSERT INTO saga_timers (id, saga, key, local_id, kind, due_at, command, meta, command_id, attempt)
       SELECT x.id, $1, x.key, x.local_id, x.kind, x.due_at, x.command, x.meta, x.command_id, x.attempt
         FROM jsonb_to_recordset($2::jsonb)
           AS x(id text, key text, local_id text, kind text, due_at timestamptz, command jsonb, meta jsonb, command_id text, attempt integer)
       ON CONFLICT (id) DO NOTHING`,
      [this.saga, JSON.stringify(rows)],
    );
  }

  private async insertDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    await this.db.query(
      `INSERT INTO saga_dead_letters (saga, key, event_id, position, command, error)
       SELECT $1, x.key, x.event_id, x.position, x.command, x.error
         FROM jsonb_to_recordset($2::jsonb) AS x(key text, event_id text, position text, command jsonb, error text)`,
      [this.saga, JSON.stringify(letters.map((l) => ({ key: l.key, event_id: l.eventId, position: l.position, command: l.command, error: l.error })))],
    );
  }

  private async inTransaction(work: () => Promise<void>): Promise<void> {
    await this.db.query('BEGIN');
    try {
      await work();
      await this.db.query('COMMIT');
    } catch (error) {
      await this.db.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}
