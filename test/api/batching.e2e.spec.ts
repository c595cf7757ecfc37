import { startTestApi, type TestApi } from '../../src/app/testing/api-harness';
import { projectionReadModels } from '../../src/read-api/projection-read-models';
import type { ReadModels, VentureView } from '../../src/read-api/read-models.port';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { recordingStatements } from '../support/read-statements';

jest.setTimeout(120_000);

const ids = Array.from({ length: 50 }, (_, i) => `v-${i}`);
const venture = (id: string): VentureView => ({
  id, name: id, sector: 'energy', country: 'KE', stage: 'SEED', description: null,
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', version: 0,
});

const calls: { method: string; ids: readonly string[] }[] = [];
/** The read models as a recording stub: this file tests the batching layer above them. */
const readModels = (pool: Parameters<typeof projectionReadModels>[0]): ReadModels => ({
  ...projectionReadModels(pool),
  // Without it the resolver batches each nested field through the loaders: the path this file tests (read models that cannot read the lists along).
  venturesPageWithNested: undefined,
  venturesPage: () => Promise.resolve({ items: ids.map((id) => ({ node: venture(id), cursor: id })), hasNextPage: false, totalCount: 50 }),
  metricsByVentureIds: (_tenant, ventureIds) => {
    calls.push({ method: 'metrics', ids: ventureIds });
    return Promise.resolve(new Map(ventureIds.map((id) => [id, [{ metricId: 'm', value: 1, unit: 'percent', period: '2026', verified: false, updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 'a' }]])));
  },
  capitalRequestsByVentureIds: (_tenant, ventureIds) => {
    calls.push({ method: 'capital', ids: ventureIds });
    return Promise.resolve(new Map());
  },
});

let db: TestDatabase;
let api: TestApi;

beforeAll(async () => {
  db = await createTestDatabase('e2e_batching');
  api = await startTestApi({ databaseUrl: db.url, read: { readModels } });
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
});

describe('nested fields of a page of ventures', () => {
  it('cost one batch per field for 50 ventures, and one SQL statement for all their histories', async () => {
    const headers = { authorization: `Bearer ${await api.token({ sub: 'a', tenant: 'acme', roles: ['auditor'] })}` };
    const { result, statements } = await recordingStatements(api.readApi.pool, () =>
      api.graphql('{ ventures(first: 50) { edges { node { id gedsiMetrics { value } capitalRequests { id } history(first: 5) { edges { cursor } } } } } }', {}, headers),
    );
    expect(result.errors).toEqual([]);
    expect((result.data?.['ventures'] as { edges: unknown[] } | undefined)?.edges).toHaveLength(50);
    expect(calls).toEqual([
      { method: 'metrics', ids },
      { method: 'capital', ids },
    ]);
    expect(statements.filter((sql) => sql.includes('es_events'))).toHaveLength(1);
  });
});
