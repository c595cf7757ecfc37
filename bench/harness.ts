import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface LoadResult {
  readonly label: string;
  readonly concurrency: number;
  readonly ops: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Runs `op` from `concurrency` workers until `total` calls completed; records each call's latency. */
export async function load(label: string, concurrency: number, total: number, op: (i: number) => Promise<unknown>): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) {
        const t0 = process.hrtime.bigint();
        await op(i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { label, concurrency, ops: total, seconds, perSecond: total / seconds, p50Ms: pct(0.5), p99Ms: pct(0.99) };
}

export interface BenchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A scratch database on the benchmark server (DATABASE_URL, default the machine's PostgreSQL). */
export async function benchDatabase(): Promise<BenchDatabase> {
  const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const c = new Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  const settings = await c.query<{ fsync: string; synchronous_commit: string; server_version: string }>(
    `SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit,
            current_setting('server_version') AS server_version`,
  );
  await c.end();
  console.log(`# PostgreSQL ${settings.rows[0]?.server_version}: fsync=${settings.rows[0]?.fsync}, synchronous_commit=${settings.rows[0]?.synchronous_commit}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const d = new Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

export function table(rows: readonly LoadResult[], baseline: (r: LoadResult) => LoadResult | undefined): string {
  const lines = ['| what | concurrency | ops/s | p50 ms | p99 ms | ratio to raw |', '|---|---:|---:|---:|---:|---:|'];
  for (const r of rows) {
    const base = baseline(r);
    const ratio = base && base !== r ? (r.perSecond / base.perSecond).toFixed(2) : base === r ? '1.00 (baseline)' : '';
    lines.push(`| ${r.label} | ${r.concurrency} | ${r.perSecond.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${ratio} |`);
  }
  return lines.join('\n');
}
