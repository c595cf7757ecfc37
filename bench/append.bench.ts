import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { expect as expectRevision, type NewEvent } from '../src/write-model/event-store/event-store.port';
import { PostgresEventStore } from '../src/write-model/event-store/postgres/postgres-event-store';
import { benchDatabase, load, table, type LoadResult } from './harness';

const CONCURRENCY = [1, 8, 32];
const OPS = Number(process.env.BENCH_APPEND_OPS ?? 3000);

export interface CommandExecutor {
  /** Executes one one-event command; `i` makes it unique. */
  execute(i: number): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Append throughput and latency at client concurrency 1, 8 and 32: the raw baseline (one autocommit INSERT of
 * one event row per call through `pg`, DESIGN.md section 10), the event store's append, and one-event commands
 * through the command bus, all in the same run on the same server.
 */
export async function appendBench(commandExecutor?: (databaseUrl: string) => Promise<CommandExecutor>): Promise<string> {
  const db = await benchDatabase();
  const results: LoadResult[] = [];
  try {
    const store = await PostgresEventStore.create({ connectionString: db.url, poolSize: 16 });
    const raw = new Pool({ connectionString: db.url, max: 32 });
    await raw.query(`CREATE TABLE raw_events (LIKE es_events INCLUDING ALL)`);
    await raw.query(`CREATE SEQUENCE raw_position_seq; ALTER TABLE raw_events ALTER COLUMN position SET DEFAULT nextval('raw_position_seq')`);
    const executor = commandExecutor ? await commandExecutor(db.url) : undefined;
    for (const c of CONCURRENCY) {
      const payload = JSON.stringify({ ventureId: randomUUID(), description: 'x'.repeat(200) });
      results.push(
        await load('raw pg INSERT (autocommit)', c, OPS, (i) =>
          raw.query(
            `INSERT INTO raw_events (event_id, stream_id, revision, type, schema_version, data, metadata, occurred_at)
             VALUES ($1, $2, 0, 'BenchEvent', 1, $3, $4, now())`,
            [randomUUID(), `raw-${c}-${i}`, payload, META],
          ),
        ),
      );
      results.push(
        await load('raw pg INSERT, 10 rows each (events/s)', c, Math.ceil(OPS / 10), (i) => raw.query(tenRows(c, i), [payload, META])),
      );
      const last = results[results.length - 1];
      if (last) results[results.length - 1] = { ...last, perSecond: last.perSecond * 10, label: last.label };
      results.push(
        await load('EventStore.append (1 event)', c, OPS, (i) => store.append(`bench-${c}-${i}`, [benchEvent()], expectRevision.noStream)),
      );
      if (executor) results.push(await load('command via CommandBus (1 event)', c, OPS, (i) => executor.execute(c * 1_000_000 + i)));
    }
    await executor?.close();
    await store.close();
    await raw.end();
  } finally {
    await db.drop();
  }
  const baselineOf = (r: LoadResult): LoadResult | undefined =>
    results.find((b) => b.concurrency === r.concurrency && b.label === 'raw pg INSERT (autocommit)');
  return `## Append (events per second, ${OPS} operations per row)\n\n${table(results, baselineOf)}\n`;
}

const META = JSON.stringify({ correlationId: randomUUID(), causationId: randomUUID(), actor: 'bench', tenant: 'bench' });

function benchEvent(): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'BenchEvent',
    schemaVersion: 1,
    data: { ventureId: randomUUID(), description: 'x'.repeat(200) },
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'bench', tenant: 'bench' },
  };
}

function tenRows(c: number, i: number): string {
  const rows = Array.from({ length: 10 }, (_, k) => `(gen_random_uuid(), 'raw10-${c}-${i}-${k}', 0, 'BenchEvent', 1, $1, $2, now())`);
  return `INSERT INTO raw_events (event_id, stream_id, revision, type, schema_version, data, metadata, occurred_at) VALUES ${rows.join(', ')}`;
}
