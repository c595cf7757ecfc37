import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Pool } from 'pg';
import { migrateProjections } from '../src/projections/runtime/migrations';
import { ProjectorProcess } from '../src/projections/testing/projector-process';
import { allCaughtUp, waitFor } from '../src/projections/testing/support';
import { Workload } from '../src/projections/testing/workload';
import { ventureById } from '../src/projections/ventures/ventures.queries';
import { schemaRegistry } from '../src/shared/schemas/schema-registry';
import { CommandRunner } from '../src/write-model/command-runner';
import { PostgresEventStore } from '../src/write-model/event-store/postgres/postgres-event-store';
import { ValidatingEventStore } from '../src/write-model/event-store/validating-event-store';
import { streamId, ventureDecider } from '../src/write-model/venture/domain/venture.decider';
import { benchDatabase } from './harness';

const RATE = Number(process.env.BENCH_FRESHNESS_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_FRESHNESS_SECONDS ?? 15);
const PRELOAD = Number(process.env.BENCH_FRESHNESS_PRELOAD ?? 20_000);

interface Stats {
  readonly label: string;
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

function stats(label: string, samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return { label, n: s.length, p50: at(0.5), p99: at(0.99), max: s[s.length - 1] ?? 0 };
}

/** Calls `op` RATE times a second for SECONDS (open loop: a slow call does not hold the next one back). */
async function paced(op: (i: number) => Promise<void>): Promise<void> {
  const total = RATE * SECONDS;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(op(i));
  }
  await Promise.all(inFlight);
}

/**
 * Freshness: from a command's commit (its append resolved, position known) to its effect being readable in
 * the ventures read model (the projector's NOTIFY, sent by the transaction that wrote the row), at RATE
 * commands per second, with every PostgreSQL projection running in a projector process of its own.
 * Raw baseline of DESIGN.md section 10 in the same run: a LISTEN/NOTIFY round trip with the insert and the
 * notify in one transaction, at the same rate.
 */
export async function freshnessBench(): Promise<string> {
  const db = await benchDatabase();
  const rows: Stats[] = [];
  try {
    const raw = await PostgresEventStore.create({ connectionString: db.url, poolSize: 8 });
    const store = new ValidatingEventStore(raw, schemaRegistry());
    await new Workload(8).appendAtLeast(store, PRELOAD, 8);
    const pool = new Pool({ connectionString: db.url, max: 4 });
    // The projector role in its own process, as it is deployed to scale (`projector-main.ts`).
    await migrateProjections(db.url);
    const projector = ProjectorProcess.spawn({ DATABASE_URL: db.url, LOG_LEVEL: 'warn', ELASTICSEARCH_URL: '' });
    await waitFor('the initial build', () => allCaughtUp(pool, raw, ['ventures', 'gedsi', 'capital', 'audit']), 600_000, 100);

    rows.push(await baseline(db.url));
    const listener = new Client({ connectionString: db.url });
    await listener.connect();
    await listener.query('LISTEN proj_progress');
    let seen = 0n;
    const waiters: { position: bigint; resolve: () => void }[] = [];
    listener.on('notification', (n) => {
      const [name, position] = (n.payload ?? '').split(' ');
      if (name !== 'ventures' || position === undefined) return;
      seen = BigInt(position) > seen ? BigInt(position) : seen;
      for (let i = waiters.length - 1; i >= 0; i--) {
        const w = waiters[i];
        if (w && w.position <= seen) {
          waiters.splice(i, 1);
          w.resolve();
        }
      }
    });
    const visible = (position: bigint): Promise<void> =>
      position <= seen ? Promise.resolve() : new Promise((resolve) => waiters.push({ position, resolve }));

    const runner = new CommandRunner(store, schemaRegistry());
    const fresh: number[] = [];
    const endToEnd: number[] = [];
    const ids: string[] = [];
    let checked = 0;
    await paced(async (i) => {
      const now = new Date().toISOString();
      const metadata = { commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(), actor: 'bench', tenant: 'bench', now };
      const update = i % 2 === 1 && ids.length > 0;
      const id = update ? (ids[Math.floor(Math.random() * ids.length)] ?? '') : randomUUID();
      const command = update
        ? { type: 'UpdateVentureProfile' as const, data: { ventureId: id, name: `Renamed ${i}` }, context: { now, actor: 'bench', tenant: 'bench' } }
        : { type: 'CreateVenture' as const, data: { ventureId: id, name: `Fresh ${i}`, sector: 'Energy', country: 'KE', stage: 'SEED' as const }, context: { now, actor: 'bench', tenant: 'bench' } };
      const sent = performance.now();
      const result = await runner.run({ decider: ventureDecider, streamId: streamId(id), aggregateId: id, command, metadata });
      const committed = performance.now();
      await visible(BigInt(result.position));
      const readable = performance.now();
      if (!update) ids.push(id);
      fresh.push(readable - committed);
      endToEnd.push(readable - sent);
      // Spot checks that "notified" really means "readable".
      if (i % 50 === 0 && (await ventureById(pool, 'bench', id))?.version !== result.revision) throw new Error(`venture ${id} not readable at revision ${result.revision}`);
      if (i % 50 === 0) checked += 1;
    });
    rows.push(stats('command commit → readable in the ventures read model', fresh));
    rows.push(stats('command sent → readable (includes the command itself)', endToEnd));
    console.log(`# freshness: ${fresh.length} commands, ${checked} read back`);
    await listener.end();
    projector.kill('SIGTERM');
    await projector.exited;
    await pool.end();
    await raw.close();
  } finally {
    await db.drop();
  }
  const base = rows[0];
  const lines = ['| what | samples | p50 ms | p99 ms | max ms | p99 ratio to raw |', '|---|---:|---:|---:|---:|---:|'];
  for (const r of rows) {
    const ratio = r === base ? '1.00 (baseline)' : base ? (r.p99 / base.p99).toFixed(1) : '';
    lines.push(`| ${r.label} | ${r.n} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.max.toFixed(2)} | ${ratio} |`);
  }
  return [
    `## Freshness (${RATE} commands/s for ${SECONDS} s, ${PRELOAD} events preloaded, all PostgreSQL projections running in a projector process)`,
    '',
    'Commit = the command\'s append resolved (an effect already readable by then counts as 0 ms). Goal: p99 under 25 ms.',
    '',
    lines.join('\n'),
    '',
  ].join('\n');
}

/** INSERT + NOTIFY in one transaction on one connection, LISTEN on another: commit resolved → notification received. */
async function baseline(url: string): Promise<Stats> {
  const writer = new Pool({ connectionString: url, max: 4 });
  const listener = new Client({ connectionString: url });
  await listener.connect();
  await writer.query('CREATE TABLE IF NOT EXISTS raw_fresh (id bigserial PRIMARY KEY, payload text)');
  await listener.query('LISTEN raw_fresh');
  const pending = new Map<string, () => void>();
  listener.on('notification', (n) => pending.get(n.payload ?? '')?.());
  const samples: number[] = [];
  await paced(async (i) => {
    const key = String(i);
    const received = new Promise<number>((resolve) => pending.set(key, () => resolve(performance.now())));
    const client = await writer.connect();
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO raw_fresh (payload) VALUES ($1)', [key]);
      await client.query('SELECT pg_notify($1, $2)', ['raw_fresh', key]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const committed = performance.now();
    samples.push(Math.max(0, (await received) - committed));
    pending.delete(key);
  });
  await listener.end();
  await writer.end();
  return stats('raw baseline: INSERT + NOTIFY in one transaction → LISTEN', samples);
}
