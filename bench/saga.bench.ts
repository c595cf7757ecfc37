import { Client } from 'pg';
import pino from 'pino';
import { DEFAULT_CAPITAL_SETTINGS } from '../src/sagas/saga-config';
import { startSagaWorker } from '../src/sagas/saga-worker';
import { CapitalFlowHarness } from '../src/sagas/testing/capital-flow-harness';
import { benchDatabase } from './harness';

const FLOWS = Number(process.env.BENCH_SAGA_FLOWS ?? 500);
const SEQUENTIAL = Number(process.env.BENCH_SAGA_SEQUENTIAL ?? 30);
const RAW_REACTIONS = 500;
/** A steady arrival rate well under the burst throughput: the reaction time a live system sees. */
const STEADY_RATE = Number(process.env.BENCH_SAGA_STEADY_RATE ?? 25);
const STEADY_SECONDS = Number(process.env.BENCH_SAGA_STEADY_SECONDS ?? 10);

interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

const percentiles = (values: number[]): Percentiles => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
};

/**
 * Reaction time of the saga: from the triggering event's append to the append of the event the saga's command caused
 * (`causationId` = the trigger's event id), both stamped by the store's clock inside their transactions.
 */
async function sagaReactions(db: Client, after: string): Promise<number[]> {
  const res = await db.query<{ ms: number }>(
    `SELECT extract(epoch FROM (r.occurred_at - t.occurred_at)) * 1000 AS ms
       FROM es_events r JOIN es_events t ON t.event_id::text = r.metadata->>'causationId'
      WHERE r.metadata->>'actor' = 'saga:capital' AND r.revision = (SELECT min(revision) FROM es_events x WHERE x.stream_id = r.stream_id AND x.metadata->>'commandId' = r.metadata->>'commandId')
        AND r.position > $1`,
    [after],
  );
  return res.rows.map((r) => Number(r.ms));
}

/** The raw baseline: a LISTEN/NOTIFY listener that appends a row when woken, timed like the saga (trigger insert to reaction insert). */
async function rawReactions(url: string): Promise<number[]> {
  const writer = new Client({ connectionString: url });
  const listener = new Client({ connectionString: url });
  await Promise.all([writer.connect(), listener.connect()]);
  await writer.query('CREATE TABLE raw_triggers (id int PRIMARY KEY, at timestamptz NOT NULL); CREATE TABLE raw_reactions (id int PRIMARY KEY, at timestamptz NOT NULL)');
  let reacted = 0;
  let wake: () => void = () => undefined;
  listener.on('notification', (n) => {
    void listener.query('INSERT INTO raw_reactions VALUES ($1, clock_timestamp())', [Number(n.payload)]).then(() => {
      reacted++;
      wake();
    });
  });
  await listener.query('LISTEN raw_react');
  for (let i = 0; i < RAW_REACTIONS; i++) {
    const done = new Promise<void>((resolve) => (wake = resolve));
    await writer.query(`BEGIN; INSERT INTO raw_triggers VALUES (${i}, clock_timestamp()); NOTIFY raw_react, '${i}'; COMMIT`);
    await done;
  }
  const res = await writer.query<{ ms: number }>('SELECT extract(epoch FROM (r.at - t.at)) * 1000 AS ms FROM raw_reactions r JOIN raw_triggers t USING (id)');
  await Promise.all([writer.end(), listener.end()]);
  if (reacted !== RAW_REACTIONS) throw new Error('the raw listener missed notifications');
  return res.rows.map((r) => Number(r.ms));
}

/**
 * Capital flows end to end (request -> readiness -> due diligence -> proposal -> commitments -> captures -> payout)
 * with the simulated provider at zero latency, its webhooks fed straight to our receiver, and scripted analysts and
 * investors; then the saga worker's reaction times, against a LISTEN/NOTIFY reaction in the same run.
 */
export async function sagaBench(): Promise<string> {
  const bench = await benchDatabase();
  const logger = pino({ level: 'silent' });
  const lines: string[] = [];
  try {
    const raw = percentiles(await rawReactions(bench.url));
    const h = await CapitalFlowHarness.create(bench.url, { logger });
    const worker = await startSagaWorker({ databaseUrl: bench.url, logger, simulatedProvider: { seed: 'bench' }, capital: DEFAULT_CAPITAL_SETTINGS, timerPollMs: 100 });
    h.deliverer.start();
    h.startDriver({ shares: [0.5, 0.5] });
    const ventures = await Promise.all(Array.from({ length: 10 }, () => h.createVenture('bench')));
    for (let i = 0; i < 3; i++) await h.registerInvestor('bench');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const db = new Client({ connectionString: bench.url });
    await db.connect();
    const head = async (): Promise<string> => (await db.query<{ p: string | null }>('SELECT max(position)::text AS p FROM es_events')).rows[0]?.p ?? '0';

    const quietFrom = await head();
    const quietStart = Date.now();
    for (let i = 0; i < SEQUENTIAL; i++) {
      const id = await h.requestCapital('bench', ventures[i % ventures.length] ?? '', '1000.00');
      await h.waitForAll([id], ['DISBURSED'], 30_000);
    }
    const quietSeconds = (Date.now() - quietStart) / 1000;
    const quiet = percentiles(await sagaReactions(db, quietFrom));

    const waitDisbursed = async (from: string, count: number, since: number): Promise<number> => {
      for (;;) {
        const res = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM es_events WHERE type = 'FundsDisbursed' AND position > $1`, [from]);
        if ((res.rows[0]?.n ?? 0) >= count) return (Date.now() - since) / 1000;
        if (Date.now() - since > 600_000) throw new Error('the flows did not finish in 10 minutes');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    const steadyFrom = await head();
    const steadyStart = Date.now();
    const steadyFlows = STEADY_RATE * STEADY_SECONDS;
    await Promise.all(
      Array.from({ length: steadyFlows }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, (i * 1000) / STEADY_RATE));
        await h.requestCapital('bench', ventures[i % ventures.length] ?? '', `${2000 + i}.25`);
      }),
    );
    const steadySeconds = await waitDisbursed(steadyFrom, steadyFlows, steadyStart);
    const steady = percentiles(await sagaReactions(db, steadyFrom));

    const loadFrom = await head();
    const started = Date.now();
    const ids = await Promise.all(Array.from({ length: FLOWS }, (_, i) => h.requestCapital('bench', ventures[i % ventures.length] ?? '', `${1000 + i}.50`)));
    const seconds = await waitDisbursed(loadFrom, ids.length, started);
    const loaded = percentiles(await sagaReactions(db, loadFrom));
    const events = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM es_events WHERE position > $1', [loadFrom]);
    await db.end();
    await worker.stop();
    await h.close();

    const row = (what: string, p: Percentiles, extra = ''): string => `| ${what} | ${p.count} | ${p.p50.toFixed(2)} | ${p.p99.toFixed(2)} | ${p.max.toFixed(2)} | ${extra} |`;
    lines.push(
      `## Sagas: capital flows end to end (simulated provider, zero latency)\n`,
      `| run | flows | seconds | flows/s | events/s |`,
      `|---|---:|---:|---:|---:|`,
      `| one flow at a time (the test's 100 ms polling included) | ${SEQUENTIAL} | ${quietSeconds.toFixed(1)} | ${(SEQUENTIAL / quietSeconds).toFixed(1)} | |`,
      `| ${STEADY_RATE} new flows/s for ${STEADY_SECONDS} s | ${steadyFlows} | ${steadySeconds.toFixed(1)} | ${(steadyFlows / steadySeconds).toFixed(1)} | |`,
      `| ${FLOWS} flows at once | ${FLOWS} | ${seconds.toFixed(1)} | ${(FLOWS / seconds).toFixed(1)} | ${((events.rows[0]?.n ?? 0) / seconds).toFixed(0)} |`,
      ``,
      `Reaction time: trigger event appended -> the saga's resulting event appended (ms; goal p99 < 50 ms)\n`,
      `| what | reactions | p50 ms | p99 ms | max ms | |`,
      `|---|---:|---:|---:|---:|---|`,
      row('raw LISTEN/NOTIFY listener appending a row', raw, 'baseline'),
      row('saga worker, one flow at a time', quiet, `${(quiet.p99 / Math.max(raw.p99, 0.001)).toFixed(1)}x baseline p99`),
      row(`saga worker, ${STEADY_RATE} new flows/s`, steady, `${(steady.p99 / Math.max(raw.p99, 0.001)).toFixed(1)}x baseline p99`),
      row(`saga worker, ${FLOWS} flows at once`, loaded, 'includes queueing behind the burst'),
      '',
    );
  } finally {
    await bench.drop();
  }
  return lines.join('\n');
}
