import { setTimeout as sleep } from 'node:timers/promises';
import { Pool as PgPool, type Pool } from 'pg';
import pino, { type Logger } from 'pino';
import type { EventStore, StoredEvent } from '../../write-model/event-store/event-store.port';
import { selectList } from '../runtime/pg-documents';
import { viewName } from '../runtime/pg-tables';
import type { Row, TableSpec } from '../runtime/projection';

export const silentLogger = (): Logger => pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

/** Polls until the condition holds; fails with the description after `timeoutMs`. */
export async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 60_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

export async function readWholeLog(store: EventStore): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (let batch = await store.readAll({ maxCount: 10_000 }); batch.length > 0; ) {
    out.push(...batch);
    batch = await store.readAll({ after: batch[batch.length - 1]?.position, maxCount: 10_000 });
  }
  return out;
}

/** Live generations' checkpoints of the named projections, by name. */
export async function livePositions(pool: Pool, names: readonly string[]): Promise<Map<string, string | undefined>> {
  const res = await pool.query<{ projection: string; position: string | null }>(
    `SELECT projection, position FROM proj_generations WHERE status = 'live' AND projection = ANY($1::text[])`,
    [names],
  );
  return new Map(res.rows.map((r) => [r.projection, r.position ?? undefined]));
}

/** Every named projection's live generation has processed the whole log and no rebuild is running. */
export async function allCaughtUp(pool: Pool, store: EventStore, names: readonly string[]): Promise<boolean> {
  const head = await store.headPosition();
  const building = await pool.query(`SELECT 1 FROM proj_generations WHERE status = 'building' AND projection = ANY($1::text[])`, [names]);
  if ((building.rowCount ?? 0) > 0) return false;
  const positions = await livePositions(pool, names);
  return names.every((n) => positions.has(n) && positions.get(n) === head);
}

/** The rows of a read model's view, as `evolve` writes them, sorted by primary key. */
export async function viewRows(pool: Pool, table: TableSpec): Promise<Row[]> {
  const res = await pool.query<Row>(`SELECT ${selectList(table)} FROM ${viewName(table)} t ORDER BY ${table.primaryKey.map((c) => `t.${c}`).join(', ')}`);
  return res.rows;
}

/** A deterministic fingerprint of a read model table: row count and md5 over its rows in key order. */
export async function tableHash(pool: Pool, table: TableSpec): Promise<string> {
  const res = await pool.query<{ n: number; md5: string | null }>(
    `SELECT count(*)::int AS n, md5(string_agg(md5(t::text), '' ORDER BY ${table.primaryKey.map((c) => `t.${c}`).join(', ')})) AS md5 FROM ${viewName(table)} t`,
  );
  return `${res.rows[0]?.n ?? 0}:${res.rows[0]?.md5 ?? '-'}`;
}

/**
 * A pool for a test: an idle connection the server terminates (another suite's clean-up on the same server)
 * is replaced on next use instead of crashing the test run with an unhandled 'error' event.
 */
export function testPool(url: string, max = 3): Pool {
  const pool = new PgPool({ connectionString: url, max });
  pool.on('error', () => undefined);
  return pool;
}
