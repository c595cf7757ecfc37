import { Client, Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import pino from 'pino';
import { pgProjections } from '../src/projections/all-projections';
import { ProjectionsService } from '../src/projections/projections.service';
import { startProjector } from '../src/projections/projector';
import { allCaughtUp, waitFor } from '../src/projections/testing/support';
import { Workload } from '../src/projections/testing/workload';
import { schemaRegistry } from '../src/shared/schemas/schema-registry';
import { PostgresEventStore } from '../src/write-model/event-store/postgres/postgres-event-store';
import { ValidatingEventStore } from '../src/write-model/event-store/validating-event-store';
import { benchDatabase } from './harness';

const EVENTS = Number(process.env.BENCH_REBUILD_EVENTS ?? 1_000_000);

interface Measured {
  readonly label: string;
  readonly events: number;
  readonly seconds: number;
}

const rate = (m: Measured): number => m.events / m.seconds;

/**
 * Rebuild throughput over a generated log with a realistic mix (many ventures, bursts of GEDSI metric
 * updates, capital flows), next to the raw baseline of DESIGN.md section 10 in the same run: reading the log
 * in position order with a cursor and COPYing one row per event into a plain table.
 */
export async function rebuildBench(): Promise<string> {
  const db = await benchDatabase();
  const rows: Measured[] = [];
  let generated = 0;
  try {
    const raw = await PostgresEventStore.create({ connectionString: db.url, poolSize: 8 });
    const store = new ValidatingEventStore(raw, schemaRegistry());
    const t0 = process.hrtime.bigint();
    generated = await new Workload(42).appendAtLeast(store, EVENTS, 8);
    const genSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`# generated ${generated} events in ${genSeconds.toFixed(1)} s`);
    const pool = new Pool({ connectionString: db.url, max: 2 });
    await pool.query('VACUUM ANALYZE es_events');
    const total = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0]?.n);

    rows.push(await rawBaseline(db.url, total));
    rows.push(...(await timeRebuild(db.url, pool, raw, ['ventures'], total)));
    rows.push(...(await timeRebuild(db.url, pool, raw, pgProjections().map((p) => p.name), total)));
    rows.push(await rawBaseline(db.url, total));
    await pool.end();
    await raw.close();
  } finally {
    await db.drop();
  }
  const baselines = rows.filter((r) => r.label.startsWith('raw'));
  const best = Math.max(...baselines.map(rate));
  const lines = ['| what | events | seconds | events/s | ratio to raw |', '|---|---:|---:|---:|---:|'];
  for (const r of rows) {
    const ratio = r.label.startsWith('raw') ? `${(rate(r) / best).toFixed(2)} (baseline)` : (rate(r) / best).toFixed(2);
    lines.push(`| ${r.label} | ${r.events} | ${r.seconds.toFixed(1)} | ${rate(r).toFixed(0)} | ${ratio} |`);
  }
  return [
    `## Rebuild (${generated} generated events; events/s = log events processed per second)`,
    '',
    'Ratios are to the better of the two raw baseline runs (before and after the rebuilds).',
    'A rebuild is timed from the operator request to the swap (indexes built, caught up, view swapped).',
    '',
    lines.join('\n'),
    '',
  ].join('\n');
}

/** The initial build of generation 1 (at projector start) and an operator rebuild to generation 2. */
async function timeRebuild(url: string, pool: Pool, store: PostgresEventStore, names: string[], total: number): Promise<Measured[]> {
  const label = names.length === 1 ? `${names[0]} read model` : `all ${names.length} PostgreSQL read models together`;
  await pool.query('DROP TABLE IF EXISTS proj_dead_letters, proj_generations, proj_projections, proj_knex_migrations, proj_knex_migrations_lock CASCADE');
  for (const r of (await pool.query<{ v: string }>(`SELECT viewname AS v FROM pg_views WHERE viewname LIKE 'rm\\_%'`)).rows) await pool.query(`DROP VIEW ${r.v}`);
  for (const r of (await pool.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE tablename LIKE 'rm\\_%'`)).rows) await pool.query(`DROP TABLE ${r.t}`);
  const logger = pino({ level: process.env.BENCH_LOG_LEVEL ?? 'warn' });
  const t0 = process.hrtime.bigint();
  const projector = await startProjector({ databaseUrl: url, logger, only: names, runtime: { tickMs: 100 } });
  await waitFor(`${label}: initial build`, () => allCaughtUp(pool, store, names), 3_600_000, 100);
  const initial = Number(process.hrtime.bigint() - t0) / 1e9;
  const service = new ProjectionsService(pool, names);
  const t1 = process.hrtime.bigint();
  for (const name of names) await service.rebuild(name);
  await waitFor(
    `${label}: rebuild`,
    async () => (await service.list()).filter((s) => names.includes(s.name)).every((s) => s.liveGeneration === 2 && s.rebuild === null),
    3_600_000,
    100,
  );
  const rebuild = Number(process.hrtime.bigint() - t1) / 1e9;
  await projector.stop();
  return [
    { label: `${label}: initial build (generation 1, at projector start)`, events: total, seconds: initial },
    { label: `${label}: rebuild (generation 2, blue/green)`, events: total, seconds: rebuild },
  ];
}

/** Cursor read of the log in position order, COPY of one row per event into a plain table. */
async function rawBaseline(url: string, total: number): Promise<Measured> {
  const reader = new Client({ connectionString: url });
  const writer = new Client({ connectionString: url });
  await reader.connect();
  await writer.connect();
  await writer.query('DROP TABLE IF EXISTS raw_rebuild; CREATE TABLE raw_rebuild (position bigint, stream_id text, type text, data jsonb)');
  const t0 = process.hrtime.bigint();
  await reader.query('BEGIN');
  await reader.query('DECLARE log NO SCROLL CURSOR FOR SELECT position, stream_id, type, data, metadata FROM es_events ORDER BY position');
  const copy = writer.query(copyFrom('COPY raw_rebuild FROM STDIN'));
  const done = new Promise<void>((resolve, reject) => {
    copy.on('finish', resolve);
    copy.on('error', reject);
  });
  let copied = 0;
  for (;;) {
    const res = await reader.query<{ position: string; stream_id: string; type: string; data: unknown }>('FETCH 5000 FROM log');
    if (res.rows.length === 0) break;
    const chunk = res.rows.map((r) => `${r.position}\t${escapeCopy(r.stream_id)}\t${escapeCopy(r.type)}\t${escapeCopy(JSON.stringify(r.data))}\n`).join('');
    copied += res.rows.length;
    if (!copy.write(chunk)) await new Promise((resolve) => copy.once('drain', resolve));
  }
  copy.end();
  await done;
  await reader.query('COMMIT');
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await reader.end();
  await writer.end();
  if (copied !== total) throw new Error(`raw baseline copied ${copied} of ${total} events`);
  return { label: 'raw baseline: cursor read + COPY one row per event', events: total, seconds };
}

const escapeCopy = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
