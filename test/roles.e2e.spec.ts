import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { issueDevToken } from '../src/app/auth/jwt';
import { createTestDatabase, type TestDatabase } from './support/database';
import { describeWithKafka } from './support/kafka';
import { select, total, type Sample } from './support/prometheus-text';
import { http, scrapeMetrics, spawnRole, waitReady, withOutputOf, type RoleProcess } from './support/role-process';

jest.setTimeout(180_000);

/**
 * Issue 7, done when: each role starts alone (its own process, an empty database of its own) and reports ready
 * with exactly the checks it needs; the split deployment (api, projector, saga, relay as separate processes on one
 * database) moves the metrics of each role under GraphQL load; SIGTERM exits 0 within the shutdown bound.
 */
const CHECKS: Readonly<Record<string, readonly string[]>> = {
  api: ['event-store'],
  projector: ['event-store', 'projections'],
  saga: ['event-store'],
  relay: ['event-store', 'kafka-relay'],
};
/** main.ts exits 1 after 20 s of shutdown; a little more for the process to go. */
const SHUTDOWN_BOUND_MS = 25_000;
/** Four processes start at once on two shared cores. */
const READY_WITHIN_MS = 90_000;
const JWT_SECRET = `roles-e2e-${randomUUID()}`;
/** Shared by the api (verifies) and the saga role (signs the simulated provider's webhooks). */
const WEBHOOK_SECRET = `roles-e2e-webhooks-${randomUUID()}`;
const TOPIC_PREFIX = `test-roles-${randomUUID().slice(0, 8)}`;

const running: RoleProcess[] = [];
const databases: TestDatabase[] = [];
let kafka: readonly string[] | undefined;

function env(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    AUTH_JWT_SECRET: JWT_SECRET,
    PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    RELAY_TOPIC_PREFIX: TOPIC_PREFIX,
    RELAY_TOPIC_PARTITIONS: '1',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

async function start(role: string, databaseUrl: string, extra: Record<string, string> = {}): Promise<RoleProcess> {
  const p = await spawnRole(role, { env: env(databaseUrl, extra) });
  running.push(p);
  return p;
}

async function database(prefix: string): Promise<TestDatabase> {
  const db = await createTestDatabase(prefix);
  databases.push(db);
  return db;
}

afterAll(async () => {
  for (const p of running) p.kill();
  await Promise.all(running.map((p) => p.exited));
  await Promise.all(databases.map((db) => db.drop()));
});

/** Each role alone on a database of its own, all started at once so that their start-ups overlap. */
const alone: Record<string, RoleProcess> = {};

beforeAll(async () => {
  for (const role of ['api', 'projector', 'saga', ...(kafka ? ['relay'] : [])]) alone[role] = await start(role, (await database(`roles_${role}`)).url);
});

async function startsAloneAndStops(role: string): Promise<void> {
  const p = alone[role];
  if (!p) throw new Error(`${role} was not started`);
  await withOutputOf(
    () => [p],
    async () => {
      const { report } = await waitReady(p, READY_WITHIN_MS);
      expect(report).toMatchObject({ status: 'ready', role });
      const checks = (report as { checks: { name: string; ok: boolean }[] }).checks;
      expect(checks.map((c) => c.name).sort()).toEqual(CHECKS[role]);
      expect(checks.every((c) => c.ok)).toBe(true);
      const health = await http(`${p.url}/health`);
      expect({ status: health.status, body: JSON.parse(health.body) as unknown }).toEqual({ status: 200, body: { status: 'ok', role } });
      expect(select(await scrapeMetrics(p), 'process_cpu_user_seconds_total')).toHaveLength(1);
      expect(await p.stop(SHUTDOWN_BOUND_MS)).toMatchObject({ code: 0 });
    },
  );
}

describe('each role started alone on an empty database of its own', () => {
  it.each(['api', 'projector', 'saga'])('%s reports ready with exactly its checks, is healthy and exits 0 on SIGTERM', startsAloneAndStops);
});

describeWithKafka('the relay role (alone, and in the split deployment under load)', (brokers) => {
  kafka = brokers;
  it('relay reports ready with exactly its checks, is healthy and exits 0 on SIGTERM', () => startsAloneAndStops('relay'));
});

describe('the split deployment under GraphQL load', () => {
  const VENTURES = 8;
  const METRICS = [
    ['employees_with_disabilities_pct', 8],
    ['safeguarding_policy', 1],
  ] as const;
  /** The split deployment: api, projector, saga and (with Kafka) relay, one process each, on one database. */
  const split: Record<string, RoleProcess> = {};
  const processes = () => Object.values(split);
  const before: Record<string, Sample[]> = {};
  let db: TestDatabase;

  async function mutate(operation: string, field: string, input: Record<string, unknown>, token: string): Promise<string> {
    const query = `mutation ${operation}($input: ${operation}Input!) { ${field}(input: $input) { aggregateId } }`;
    const answer = await http(`${split['api']?.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables: { input } }),
    });
    const parsed = JSON.parse(answer.body) as { data?: Record<string, { aggregateId?: string } | null> | null; errors?: unknown[] };
    const id = parsed.data?.[field]?.aggregateId;
    if (answer.status !== 200 || (parsed.errors?.length ?? 0) > 0 || id === undefined) throw new Error(`${operation} failed: ${answer.status} ${answer.body}`);
    return id;
  }

  /** Polls the role's /metrics until `done` holds; returns the last scrape. */
  async function eventually(role: string, what: string, done: (samples: Sample[]) => boolean, timeoutMs = 45_000): Promise<Sample[]> {
    const p = split[role];
    if (!p) throw new Error(`${role} is not running`);
    const until = Date.now() + timeoutMs;
    for (;;) {
      const samples = await scrapeMetrics(p);
      if (done(samples)) return samples;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what} in the metrics of ${role}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  const delta = (role: string, after: Sample[], name: string, where: Record<string, string> = {}): number => total(after, name, where) - total(before[role] ?? [], name, where);

  beforeAll(async () => {
    db = await database('roles_split');
    const api = await start('api', db.url);
    split['api'] = api;
    split['projector'] = await start('projector', db.url);
    // The simulated provider's webhooks go to the api process, as in production.
    split['saga'] = await start('saga', db.url, { PAYMENT_WEBHOOK_URL: `${api.url}/webhooks/payments` });
    if (kafka) split['relay'] = await start('relay', db.url);
    await withOutputOf(processes, async () => {
      await Promise.all(processes().map((p) => waitReady(p, READY_WITHIN_MS)));
      for (const [role, p] of Object.entries(split)) before[role] = await scrapeMetrics(p);
      const token = await issueDevToken({ sub: 'roles-e2e', tenant: 'roles', roles: ['admin'] }, JWT_SECRET);
      await Promise.all(
        Array.from({ length: VENTURES }, async (_, i) => {
          const ventureId = await mutate('CreateVenture', 'createVenture', { name: `Roles ${i} ${randomUUID()}`, sector: 'energy', country: 'KE', stage: 'SEED' }, token);
          for (const [metricId, value] of METRICS) await mutate('RecordGEDSIMetric', 'recordGEDSIMetric', { ventureId, metricId, value, period: '2026-Q4' }, token);
          await mutate('RequestCapital', 'requestCapital', { ventureId, amount: '1000.00', currency: 'USD', instrument: 'GRANT', purpose: 'solar kits' }, token);
        }),
      );
    });
  });

  it('api: commands and their latency by type, append latency and GraphQL latency by operation name moved', () =>
    withOutputOf(processes, async () => {
      const after = await scrapeMetrics(split['api'] as RoleProcess);
      const counts = { CreateVenture: VENTURES, RecordGEDSIMetric: VENTURES * METRICS.length, RequestCapital: VENTURES };
      for (const [type, n] of Object.entries(counts)) {
        expect({ type, ok: delta('api', after, 'gedsi_commands_total', { type, outcome: 'ok' }) }).toEqual({ type, ok: n });
        expect({ type, timed: delta('api', after, 'gedsi_command_duration_seconds_count', { type }) }).toEqual({ type, timed: n });
        const operation = { operation: type, type: 'mutation' };
        expect({ type, graphql: delta('api', after, 'gedsi_graphql_operation_duration_seconds_count', operation) }).toEqual({ type, graphql: n });
      }
      expect(delta('api', after, 'gedsi_event_store_append_duration_seconds_count')).toBeGreaterThanOrEqual(VENTURES * (2 + METRICS.length));
    }));

  it('projector: every projection applied the new events (position up, lag back to 0) at a rate above 0', () =>
    withOutputOf(processes, async () => {
      const names = select(before['projector'] ?? [], 'gedsi_projection_lag_events').map((s) => s.labels['projection'] ?? '');
      expect(names.length).toBeGreaterThan(0);
      let fastest = 0;
      const after = await eventually('projector', 'every projection to catch up', (samples) => {
        fastest = Math.max(fastest, ...select(samples, 'gedsi_projection_events_per_second').map((s) => s.value));
        return names.every((projection) => total(samples, 'gedsi_projection_lag_events', { projection }) === 0 && delta('projector', samples, 'gedsi_projection_position', { projection }) > 0);
      });
      expect(fastest).toBeGreaterThan(0);
      expect(select(after, 'gedsi_projection_dead_letters').every((s) => s.value === 0)).toBe(true);
    }));

  it('saga: the capital and GEDSI workers caught up (lag 0) after issuing their commands; the timer gauge is served', () =>
    withOutputOf(processes, async () => {
      const after = await eventually(
        'saga',
        'the sagas to check readiness of every request and catch up',
        (samples) => delta('saga', samples, 'gedsi_commands_total', { type: 'CheckCapitalReadiness', outcome: 'ok' }) === VENTURES && select(samples, 'gedsi_saga_lag_events').every((s) => s.value === 0),
      );
      expect(select(after, 'gedsi_saga_lag_events').map((s) => s.labels['saga'])).toEqual(expect.arrayContaining(['capital', 'gedsi']));
      expect(select(after, 'gedsi_saga_timers_due')).toHaveLength(1);
      expect(delta('saga', after, 'gedsi_event_store_append_duration_seconds_count')).toBeGreaterThanOrEqual(VENTURES);
    }));

  (kafka ? it : it.skip)('relay: published the whole log to Kafka (position up, lag back to 0, checkpoint at the head)', () =>
    withOutputOf(processes, async () => {
      const after = await eventually('relay', 'the relay to catch up', (samples) => total(samples, 'gedsi_relay_lag_events') === 0 && delta('relay', samples, 'gedsi_relay_position') > 0);
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ head: string; checkpoint: string | null }>(
          `SELECT (SELECT max(position)::text FROM es_events) AS head, (SELECT position::text FROM relay_checkpoints WHERE name = 'kafka-relay') AS checkpoint`,
        );
        expect(rows[0]?.checkpoint).toBe(rows[0]?.head);
        expect(total(after, 'gedsi_relay_position')).toBe(Number(rows[0]?.head));
        expect(BigInt(rows[0]?.head ?? '0')).toBeGreaterThanOrEqual(BigInt(VENTURES * (2 + METRICS.length)));
      } finally {
        await client.end();
      }
    }));

  it('every role exits 0 on SIGTERM within the shutdown bound', () =>
    withOutputOf(processes, async () => {
      const exits = await Promise.all(processes().map(async (p) => ({ role: p.role, ...(await p.stop(SHUTDOWN_BOUND_MS)) })));
      expect(exits.map(({ role, code }) => ({ role, code }))).toEqual(processes().map((p) => ({ role: p.role, code: 0 })));
    }));
});
