import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { issueDevToken } from '../src/app/auth/jwt';
import { total } from '../test/support/prometheus-text';
import { http, REPO_ROOT, scrapeMetrics, spawnRole, waitReady, withOutputOf, type RoleExit, type RoleProcess } from '../test/support/role-process';
import { commandBusExecutor } from './command-bus-executor';
import { benchDatabase, load, type LoadResult } from './harness';
import { cpuSeconds, ResourceSampler, type Usage } from './proc-stats';

const CONCURRENCY = Number(process.env.BENCH_ROLES_CONCURRENCY ?? 32);
const LOAD_SECONDS = Number(process.env.BENCH_ROLES_SECONDS ?? 15);
const IDLE_SECONDS = 5;
const DRAIN_LIMIT_SECONDS = Number(process.env.BENCH_ROLES_DRAIN_SECONDS ?? 180);
const SECRET = `bench-roles-${randomUUID()}`;
const WEBHOOK_SECRET = `bench-roles-webhooks-${randomUUID()}`;
const LAGS = ['gedsi_projection_lag_events', 'gedsi_saga_lag_events', 'gedsi_relay_lag_events'];

interface RoleFigures {
  readonly role: string;
  readonly readySeconds: number;
  readonly idle: Usage;
  readonly load: Usage;
  /** Events behind the head right after the load (worker roles). */
  readonly lagAtLoadEnd: number | undefined;
  /** From the end of the load to lag 0; undefined when not within DRAIN_LIMIT_SECONDS. */
  readonly caughtUpSeconds: number | undefined;
  /** CPU from the start of the load until this role had caught up, per command of the load. */
  readonly cpuMsPerCommand: number;
  readonly exit: RoleExit;
}

interface Deployment {
  readonly name: string;
  readonly roles: readonly RoleFigures[];
  readonly commands: LoadResult & { readonly errors: number };
  readonly generator: Usage;
}

/**
 * Issue 7: each role as its own process of the compiled build (`node dist/src/main.js`, NODE_ENV=production) on a
 * fresh database: start to ready, CPU and RSS idle and under the append benchmark's command load sent as GraphQL
 * mutations to the api, then how long each worker role takes to catch up and what it costs per command. The split
 * deployment (api, projector, saga, relay when KAFKA_BROKERS is set) and `all` in one process, against the
 * baseline of the same commands through the CommandBus in-process.
 */
export async function rolesBench(): Promise<string> {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'inherit' });
  const kafka = (process.env.KAFKA_BROKERS?.trim() ?? '') !== '';
  const loadBefore = loadavg()[0] ?? 0;
  const baseline = await inProcessBaseline();
  const split = await deployment('split', ['api', 'projector', 'saga', ...(kafka ? ['relay'] : [])]);
  const all = await deployment('all', ['all']);
  return report([split, all], baseline, { kafka, loadBefore, loadAfter: loadavg()[0] ?? 0 });
}

async function inProcessBaseline(): Promise<LoadResult> {
  const db = await benchDatabase();
  try {
    const executor = await commandBusExecutor(db.url);
    const result = await load('CommandBus in-process', CONCURRENCY, 3000, (i) => executor.execute(i));
    await executor.close();
    return result;
  } finally {
    await db.drop();
  }
}

async function deployment(name: string, roles: readonly string[]): Promise<Deployment> {
  const db = await benchDatabase();
  const processes: RoleProcess[] = [];
  const outputs = () => processes;
  try {
    return await withOutputOf(outputs, async () => {
      const ready = new Map<string, number>();
      let api: RoleProcess | undefined;
      for (const role of roles) {
        // The simulated provider's webhooks go to the api process, as in production.
        const webhooks: Record<string, string> = role === 'saga' && api ? { PAYMENT_WEBHOOK_URL: `${api.url}/webhooks/payments` } : {};
        const p = await spawnRole(role, { launcher: 'dist', env: { ...env(db.url), ...webhooks } });
        processes.push(p);
        ready.set(role, (await waitReady(p, 120_000)).ms / 1000);
        if (role === 'api' || role === 'all') api = p;
      }
      if (!api) throw new Error('no process serves the API');
      const pids = Object.fromEntries(processes.map((p) => [p.role, p.pid]));
      await sleep(2000); // start-up's tail (JIT, first GC) is not idle
      const idleSampler = new ResourceSampler(pids).start();
      await sleep(IDLE_SECONDS * 1000);
      const idle = idleSampler.stop();

      const token = await issueDevToken({ sub: `bench-${randomUUID()}`, tenant: 'bench', roles: ['admin'] }, SECRET);
      const ventureId = await graphql(api, token, 'mutation V($input: CreateVentureInput!) { createVenture(input: $input) { aggregateId } }', {
        name: `Bench ${randomUUID()}`, sector: 'energy', country: 'KE', stage: 'SEED',
      });
      const cpuAtLoadStart = new Map(processes.map((p) => [p.role, cpuSeconds(p.pid)]));
      const loadSampler = new ResourceSampler({ ...pids, 'load generator': process.pid }).start();
      const commands = await drive(api, ventureId);
      const loadUsage = loadSampler.stop();
      const drained = await drain(processes, cpuAtLoadStart);

      const exits = await Promise.all(processes.map(async (p) => [p.role, await p.stop(25_000)] as const));
      const figures = processes.map((p): RoleFigures => {
        const d = drained.get(p.role);
        const cpu = d?.cpuSeconds ?? (loadUsage[p.role]?.cpuSeconds ?? 0);
        return {
          role: p.role,
          readySeconds: ready.get(p.role) ?? NaN,
          idle: idle[p.role] as Usage,
          load: loadUsage[p.role] as Usage,
          lagAtLoadEnd: d?.lagAtLoadEnd,
          caughtUpSeconds: d ? d.seconds : 0,
          cpuMsPerCommand: (cpu * 1000) / Math.max(1, commands.ops),
          exit: exits.find(([role]) => role === p.role)?.[1] as RoleExit,
        };
      });
      return { name, roles: figures, commands, generator: loadUsage['load generator'] as Usage };
    });
  } finally {
    for (const p of processes) p.kill();
    await Promise.all(processes.map((p) => p.exited));
    await db.drop();
  }
}

function env(databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    AUTH_JWT_SECRET: SECRET,
    PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    RELAY_TOPIC_PREFIX: `bench-roles-${randomUUID().slice(0, 8)}`,
  };
}

async function graphql(api: RoleProcess, token: string, query: string, input: Record<string, unknown>): Promise<string> {
  const answer = await http(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables: { input } }),
  });
  const id = /"aggregateId":"([^"]+)"/.exec(answer.body)?.[1];
  if (answer.status !== 200 || id === undefined) throw new Error(`GraphQL failed: ${answer.status} ${answer.body.slice(0, 500)}`);
  return id;
}

/** Each subject may send 600 requests a minute (the API's rate limit): a client takes a new subject every 500 commands. */
const COMMANDS_PER_SUBJECT = 500;

/** The append benchmark's command (RequestCapital on one venture) as a GraphQL mutation, CONCURRENCY clients, LOAD_SECONDS. */
async function drive(api: RoleProcess, ventureId: string): Promise<LoadResult & { errors: number }> {
  const query = 'mutation RequestCapital($input: RequestCapitalInput!) { requestCapital(input: $input) { position } }';
  const run = randomUUID().slice(0, 8);
  const latencies: number[] = [];
  let errors = 0;
  const started = Date.now();
  const until = started + LOAD_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, client) => {
      let headers: Record<string, string> = {};
      for (let n = 0; Date.now() < until; n++) {
        if (n % COMMANDS_PER_SUBJECT === 0) {
          const token = await issueDevToken({ sub: `bench-${run}-${client}-${n}`, tenant: 'bench', roles: ['admin'] }, SECRET);
          headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
        }
        const body = JSON.stringify({ query, variables: { input: { ventureId, amount: '25000.00', currency: 'USD', instrument: 'GRANT', purpose: 'bench' } } });
        const t0 = process.hrtime.bigint();
        const answer = await http(`${api.url}/graphql`, { method: 'POST', headers, body });
        if (answer.status !== 200 || answer.body.includes('"errors"')) {
          if (errors++ === 0) console.error(`# first failed command: ${answer.status} ${answer.body.slice(0, 300)}`);
        } else latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { label: 'GraphQL requestCapital', concurrency: CONCURRENCY, ops: latencies.length, seconds, perSecond: latencies.length / seconds, p50Ms: pct(0.5), p99Ms: pct(0.99), errors };
}

/** Polls the worker roles' lag gauges until each is 0; per role: lag at load end, seconds to 0, CPU since the load started. */
async function drain(processes: readonly RoleProcess[], cpuAtLoadStart: ReadonlyMap<string, number>) {
  const started = Date.now();
  const result = new Map<string, { lagAtLoadEnd: number; seconds: number | undefined; cpuSeconds: number }>();
  const workers = processes.filter((p) => p.role !== 'api');
  const lagOf = async (p: RoleProcess): Promise<number> => {
    const samples = await scrapeMetrics(p);
    const nan = samples.filter((s) => Number.isNaN(s.value)).map((s) => `${s.name}${JSON.stringify(s.labels)}`);
    if (nan.length > 0) console.error(`# ${p.role} reports NaN: ${nan.join(', ')}`);
    return LAGS.reduce((sum, name) => sum + total(samples, name), 0);
  };
  const first = new Map(await Promise.all(workers.map(async (p) => [p.role, await lagOf(p)] as const)));
  let pending = workers;
  while (pending.length > 0) {
    const lags = await Promise.all(pending.map(async (p) => [p, await lagOf(p)] as const));
    for (const [p, lag] of lags) {
      if (lag === 0) result.set(p.role, { lagAtLoadEnd: first.get(p.role) ?? 0, seconds: (Date.now() - started) / 1000, cpuSeconds: cpuSeconds(p.pid) - (cpuAtLoadStart.get(p.role) ?? 0) });
    }
    pending = pending.filter((p) => !result.has(p.role));
    if ((Date.now() - started) / 1000 > DRAIN_LIMIT_SECONDS) break;
    await sleep(500);
  }
  for (const p of pending) result.set(p.role, { lagAtLoadEnd: first.get(p.role) ?? 0, seconds: undefined, cpuSeconds: cpuSeconds(p.pid) - (cpuAtLoadStart.get(p.role) ?? 0) });
  return result;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function report(deployments: readonly Deployment[], baseline: LoadResult, context: { kafka: boolean; loadBefore: number; loadAfter: number }): string {
  const f0 = (n: number) => n.toFixed(0);
  const f1 = (n: number) => n.toFixed(1);
  const lines = [
    `## Process roles (${CONCURRENCY} clients, ${LOAD_SECONDS} s of GraphQL requestCapital)`,
    '',
    `Compiled build, NODE_ENV=production, LOG_LEVEL=info; load average (1 min) ${f1(context.loadBefore)} before, ${f1(context.loadAfter)} after.` +
      (context.kafka ? '' : ' KAFKA_BROKERS unset: no relay role.'),
    '',
    '| deployment | role | start to ready s | idle CPU % | idle RSS MB | load CPU % | load: waiting for a CPU % | load RSS avg / peak MB | lag at load end | caught up after s | CPU ms / command | SIGTERM |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const d of deployments) {
    for (const r of d.roles) {
      const caughtUp = r.caughtUpSeconds === undefined ? `> ${DRAIN_LIMIT_SECONDS}` : r.lagAtLoadEnd === undefined ? '-' : f1(r.caughtUpSeconds);
      lines.push(
        `| ${d.name} | ${r.role} | ${r.readySeconds.toFixed(2)} | ${f1(r.idle.cpuPercent)} | ${f0(r.idle.rssAvgMb)} | ${f0(r.load.cpuPercent)} | ${f0(r.load.waitPercent)} | ${f0(r.load.rssAvgMb)} / ${f0(r.load.rssPeakMb)} | ${r.lagAtLoadEnd ?? '-'} | ${caughtUp} | ${r.cpuMsPerCommand.toFixed(2)} | exit ${r.exit.code ?? r.exit.signal} in ${f1(r.exit.ms / 1000)} s |`,
      );
    }
    if (d.roles.length > 1) {
      const sum = (pick: (r: RoleFigures) => number) => d.roles.reduce((s, r) => s + pick(r), 0);
      lines.push(
        `| ${d.name} | **sum** | | ${f1(sum((r) => r.idle.cpuPercent))} | ${f0(sum((r) => r.idle.rssAvgMb))} | ${f0(sum((r) => r.load.cpuPercent))} | | ${f0(sum((r) => r.load.rssAvgMb))} / ${f0(sum((r) => r.load.rssPeakMb))} | | | ${sum((r) => r.cpuMsPerCommand).toFixed(2)} | |`,
      );
    }
  }
  lines.push('', '| commands | ops/s | p50 ms | p99 ms | errors | load generator CPU % / waiting % | ratio to in-process CommandBus |', '|---|---:|---:|---:|---:|---:|---:|');
  lines.push(`| CommandBus in-process (baseline, 3,000 commands) | ${f0(baseline.perSecond)} | ${baseline.p50Ms.toFixed(2)} | ${baseline.p99Ms.toFixed(2)} | 0 | | 1.00 |`);
  for (const d of deployments) {
    const c = d.commands;
    lines.push(`| GraphQL to ${d.name} | ${f0(c.perSecond)} | ${c.p50Ms.toFixed(2)} | ${c.p99Ms.toFixed(2)} | ${c.errors} | ${f0(d.generator.cpuPercent)} / ${f0(d.generator.waitPercent)} | ${(c.perSecond / baseline.perSecond).toFixed(2)} |`);
  }
  return `${lines.join('\n')}\n`;
}
