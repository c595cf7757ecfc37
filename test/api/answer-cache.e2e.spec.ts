import { startTestApi, type TestApi } from '../../src/app/testing/api-harness';
import { startProjector, type Projector } from '../../src/projections/projector';
import { silentLogger } from '../../src/projections/testing/support';
import { projectionReadModels } from '../../src/read-api/projection-read-models';
import type { ReadModels } from '../../src/read-api/read-models.port';
import { mutationResult } from '../support/graphql-mutations';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(120_000);

let computed = 0;
/** The real read models, counting (and slowing down) the dashboard aggregate so concurrent requests overlap. */
const readModels = (pool: Parameters<typeof projectionReadModels>[0]): ReadModels => {
  const real = projectionReadModels(pool);
  return {
    ...real,
    gedsiDashboard: async (tenant, filter) => {
      computed += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return real.gedsiDashboard(tenant, filter);
    },
  };
};

let db: TestDatabase;
let api: TestApi;
let projector: Projector;
let headers: Record<string, string>;
let last = '';

async function mutate(query: string, input: Record<string, unknown>): Promise<string> {
  const result = await mutationResult(api, query, input, headers);
  last = result.position;
  return result.aggregateId;
}

const recordMetric = (ventureId: string, value: number) =>
  mutate('mutation($input: RecordGEDSIMetricInput!) { recordGEDSIMetric(input: $input) { aggregateId position } }', {
    ventureId,
    metricId: 'women_ownership_pct',
    value,
    period: '2026-Q1',
  });

async function average(): Promise<number | null> {
  const { data, errors, raw } = await api.graphql('{ gedsiDashboard { metrics { metricId average } } }', {}, { ...headers, 'x-read-after': last });
  if (errors.length > 0 || data === null) throw new Error(`expected an answer, got ${raw}`);
  const metrics = (data['gedsiDashboard'] as { metrics: { metricId: string; average: number | null }[] }).metrics;
  return metrics.find((m) => m.metricId === 'women_ownership_pct')?.average ?? null;
}

beforeAll(async () => {
  db = await createTestDatabase('e2e_answer_cache');
  api = await startTestApi({ databaseUrl: db.url, read: { readModels } });
  projector = await startProjector({ databaseUrl: db.url, logger: silentLogger(), runtime: { tickMs: 50 } });
  headers = { authorization: `Bearer ${await api.token({ sub: 'ana', tenant: 'cached', roles: ['admin'] })}` };
});

afterAll(async () => {
  await projector?.stop();
  await api?.close();
  await db?.drop();
});

describe('cached dashboard answers', () => {
  let ventureId = '';

  it('computes the answer once for concurrent requests, then serves it from the cache', async () => {
    ventureId = await mutate('mutation($input: CreateVentureInput!) { createVenture(input: $input) { aggregateId position } }', {
      name: 'Cached Solar',
      sector: 'energy',
      country: 'KE',
      stage: 'SEED',
      description: null,
    });
    await recordMetric(ventureId, 40);
    computed = 0;
    const answers = await Promise.all(Array.from({ length: 8 }, () => average()));
    expect(answers).toEqual(Array.from({ length: 8 }, () => 40));
    expect(computed).toBe(1);
    expect(await average()).toBe(40);
    expect(computed).toBe(1);
  });

  it('is never older than a write the client has seen (X-Read-After)', async () => {
    await recordMetric(ventureId, 70);
    expect(await average()).toBe(70);
    expect(computed).toBe(2);
  });
});
