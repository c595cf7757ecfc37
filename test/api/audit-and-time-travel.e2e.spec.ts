import { randomUUID } from 'node:crypto';
import { startTestApi, type GraphQLResponse, type TestApi } from '../../src/app/testing/api-harness';
import { expect as expectRevision, type NewEvent } from '../../src/write-model/event-store/event-store.port';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(120_000);

const CREATE = 'mutation($i: CreateVentureInput!) { createVenture(input: $i) { aggregateId position } }';
const UPDATE = 'mutation($i: UpdateVentureProfileInput!) { updateVentureProfile(input: $i) { revision } }';
const RECORD = 'mutation($i: RecordGEDSIMetricInput!) { recordGEDSIMetric(input: $i) { revision } }';
const AUDIT = `query($filter: AuditFilter, $first: Int, $after: String) {
  auditTrail(filter: $filter, first: $first, after: $after) {
    edges { cursor node { eventId streamId revision position type schemaVersion data metadata occurredAt } }
    pageInfo { hasNextPage endCursor } totalCount } }`;
const AS_OF = `query($id: ID!, $asOf: DateTime!) { ventureAsOf(id: $id, asOf: $asOf) {
  id name stage description version createdAt updatedAt gedsiMetrics { metricId value period } capitalRequests { id } } }`;

let db: TestDatabase;
let api: TestApi;
const as = async (tenant: string, sub: string, roles: string[] = ['admin'], extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${await api.token({ sub, tenant, roles })}`,
  ...extra,
});

function data(response: GraphQLResponse): Record<string, unknown> {
  if (response.errors.length > 0 || response.data === null) throw new Error(`expected success, got ${response.raw}`);
  return response.data;
}

interface AuditNode {
  streamId: string;
  type: string;
  position: string;
  metadata: Record<string, unknown>;
  occurredAt: string;
}
interface AuditConnection {
  edges: { cursor: string; node: AuditNode }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}
const trail = (response: GraphQLResponse): AuditConnection => data(response)['auditTrail'] as AuditConnection;

beforeAll(async () => {
  db = await createTestDatabase('e2e_audit');
  api = await startTestApi({ databaseUrl: db.url, read: { rateLimit: { points: 100_000, windowSeconds: 60 } } });
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
});

describe('the audit trail', () => {
  let ventureId: string;
  const auditor = () => as('acme', 'audrey', ['auditor']);

  beforeAll(async () => {
    const alice = await as('acme', 'alice', ['founder'], { 'x-correlation-id': 'corr-create' });
    ventureId = String((data(await api.graphql(CREATE, { i: { name: `Audit ${randomUUID()}`, sector: 'energy', country: 'KE', stage: 'SEED' } }, alice))['createVenture'] as { aggregateId: string }).aggregateId);
    await api.graphql(UPDATE, { i: { ventureId, description: 'solar' } }, await as('acme', 'alice', ['founder'], { 'x-correlation-id': 'corr-update' }));
    data(await api.graphql(RECORD, { i: { ventureId, metricId: 'women_ownership_pct', value: 40, period: '2026-Q1' } }, await as('acme', 'bob', ['admin'])));
    await api.graphql(CREATE, { i: { name: `Globex ${randomUUID()}`, sector: 'energy', country: 'KE', stage: 'SEED' } }, await as('globex', 'gina'));
  });

  it("lists the tenant's events oldest first with their stored envelope", async () => {
    const { edges } = trail(await api.graphql(AUDIT, {}, await auditor()));
    const positions = edges.map((e) => BigInt(e.node.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(edges.every((e) => e.node.metadata['tenant'] === 'acme')).toBe(true);
    expect(edges.map((e) => e.node.type)).toEqual(expect.arrayContaining(['VentureCreated', 'VentureProfileUpdated', 'GEDSIMetricUpdated']));
  });

  it('filters by stream, types, actor and correlation id', async () => {
    const h = await auditor();
    const byStream = trail(await api.graphql(AUDIT, { filter: { streamId: `venture-${ventureId}` } }, h));
    expect(byStream.edges.map((e) => e.node.type)).toEqual(['VentureCreated', 'VentureProfileUpdated']);
    const byType = trail(await api.graphql(AUDIT, { filter: { types: ['GEDSIMetricUpdated'] } }, h));
    expect(byType.edges.map((e) => e.node.streamId)).toEqual([`gedsi-${ventureId}`]);
    const byActor = trail(await api.graphql(AUDIT, { filter: { actor: 'bob' } }, h));
    expect(byActor.edges.map((e) => e.node.type)).toEqual(['GEDSIMetricUpdated']);
    const byCorrelation = trail(await api.graphql(AUDIT, { filter: { correlationId: 'corr-update' } }, h));
    expect(byCorrelation.edges.map((e) => e.node.type)).toEqual(['VentureProfileUpdated']);
  });

  it('filters by a time range, bounds included', async () => {
    const h = await auditor();
    const all = trail(await api.graphql(AUDIT, { filter: { streamId: `venture-${ventureId}` } }, h)).edges;
    const second = all[1]?.node.occurredAt;
    const from = trail(await api.graphql(AUDIT, { filter: { streamId: `venture-${ventureId}`, from: second } }, h));
    expect(from.edges.map((e) => e.node.type)).toEqual(['VentureProfileUpdated']);
    const to = trail(await api.graphql(AUDIT, { filter: { streamId: `venture-${ventureId}`, to: all[0]?.node.occurredAt } }, h));
    expect(to.edges.map((e) => e.node.type)).toEqual(['VentureCreated']);
  });

  it('pages with cursors that stay valid while the log grows, and counts on demand', async () => {
    const h = await auditor();
    const whole = trail(await api.graphql(AUDIT, { first: 100 }, h));
    const first = trail(await api.graphql(AUDIT, { first: 2 }, h));
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.totalCount).toBe(whole.edges.length);
    await api.graphql(UPDATE, { i: { ventureId, description: 'wind' } }, await as('acme', 'alice', ['founder']));
    const rest = trail(await api.graphql(AUDIT, { first: 100, after: first.pageInfo.endCursor }, h));
    const seen = [...first.edges, ...rest.edges].map((e) => e.node.position);
    expect(seen.slice(0, whole.edges.length)).toEqual(whole.edges.map((e) => e.node.position));
    expect(seen).toHaveLength(whole.edges.length + 1);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it.each([
    ['a cursor that is not one', { after: 'bm9wZQ' }, 'after'],
    ['first 0', { first: 0 }, 'first'],
    ['first 101', { first: 101 }, 'first'],
    ['from after to', { filter: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } }, 'from'],
    ['an invalid date', { filter: { from: '2026-13-45T00:00:00Z' } }, 'from'],
    ['a date without a time zone', { filter: { to: '2026-01-01T00:00:00' } }, 'to'],
  ])('refuses %s with BAD_USER_INPUT', async (_name, variables, field) => {
    const response = await api.graphql(AUDIT, variables, await auditor());
    expect(response.data?.['auditTrail'] ?? null).toBeNull();
    expect(response.errors.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field }]);
    expect(response.raw).not.toMatch(/ at .*\.(ts|js):\d+/);
  });
});

describe('a venture as of an instant', () => {
  let ventureId: string;
  let occurred: string[];

  beforeAll(async () => {
    const alice = await as('acme', 'alice', ['founder']);
    ventureId = String((data(await api.graphql(CREATE, { i: { name: `Time ${randomUUID()}`, sector: 'health', country: 'UG', stage: 'IDEA' } }, alice))['createVenture'] as { aggregateId: string }).aggregateId);
    data(await api.graphql(RECORD, { i: { ventureId, metricId: 'women_ownership_pct', value: 10, period: '2026-Q1' } }, alice));
    data(await api.graphql(UPDATE, { i: { ventureId, description: 'clinics', stage: 'SEED' } }, alice));
    data(await api.graphql(RECORD, { i: { ventureId, metricId: 'women_ownership_pct', value: 30, period: '2026-Q1' } }, alice));
    occurred = (await api.store.readStream(`venture-${ventureId}`)).map((e) => e.occurredAt);
  });

  it('rebuilds the venture and its metrics from the events up to that instant', async () => {
    const h = await as('acme', 'audrey', ['auditor']);
    const early = data(await api.graphql(AS_OF, { id: ventureId, asOf: occurred[0] }, h))['ventureAsOf'];
    expect(early).toMatchObject({ id: ventureId, stage: 'IDEA', description: null, version: 0, createdAt: occurred[0], updatedAt: occurred[0] });
    const late = data(await api.graphql(AS_OF, { id: ventureId, asOf: new Date().toISOString() }, h))['ventureAsOf'];
    expect(late).toMatchObject({ stage: 'SEED', description: 'clinics', version: 2, gedsiMetrics: [{ metricId: 'women_ownership_pct', value: 30, period: '2026-Q1' }] });
  });

  it('answers null before the venture existed', async () => {
    const h = await as('acme', 'audrey', ['auditor']);
    expect(data(await api.graphql(AS_OF, { id: ventureId, asOf: '2001-01-01T00:00:00Z' }, h))).toEqual({ ventureAsOf: null });
  });

  it.each([
    ['an instant in the future', () => ({ id: ventureId, asOf: new Date(Date.now() + 86_400_000).toISOString() }), 'asOf'],
    ['an invalid date', () => ({ id: ventureId, asOf: 'yesterday' }), 'asOf'],
    ['an id with odd characters', () => ({ id: '../x', asOf: '2026-01-01T00:00:00Z' }), 'id'],
  ])('refuses %s with BAD_USER_INPUT', async (_name, variables, field) => {
    const response = await api.graphql(AS_OF, variables(), await as('acme', 'audrey', ['auditor']));
    expect(response.errors.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field }]);
  });

  it('answers the same from snapshots as from the whole stream, for a venture with thousands of events', async () => {
    const id = randomUUID();
    const stream = `venture-${id}`;
    const metadata = { correlationId: randomUUID(), causationId: randomUUID(), actor: 'seed', tenant: 'acme' };
    const event = (type: string, payload: Record<string, unknown>): NewEvent => ({ eventId: randomUUID(), type, schemaVersion: 1, data: payload, metadata });
    await api.store.append(stream, [event('VentureCreated', { ventureId: id, name: `Busy ${id}`, sector: 'energy', country: 'KE', stage: 'SEED', description: null })], expectRevision.noStream);
    for (let batch = 0; batch < 5; batch++) {
      const events = Array.from({ length: 500 }, (_, i) => event('VentureProfileUpdated', { ventureId: id, changes: { description: `d${batch * 500 + i}` } }));
      await api.store.append(stream, events, expectRevision.any);
    }
    const h = await as('acme', 'audrey', ['auditor']);
    const now = new Date().toISOString();
    const first = data(await api.graphql(AS_OF, { id, asOf: now }, h))['ventureAsOf'];
    expect(first).toMatchObject({ description: 'd2499', version: 2500 });
    const saved = await api.readApi.pool.query<{ revision: number }>('SELECT revision FROM read_api_snapshots WHERE stream_id = $1', [stream]);
    expect(saved.rows.map((r) => r.revision)).toEqual([1999]);
    expect(data(await api.graphql(AS_OF, { id, asOf: now }, h))['ventureAsOf']).toEqual(first);
    const events = await api.store.readStream(stream, { fromRevision: 1000, toRevision: 1000 });
    const middle = data(await api.graphql(AS_OF, { id, asOf: events[0]?.occurredAt }, h))['ventureAsOf'] as { version: number; description: string };
    expect(middle.version).toBeGreaterThanOrEqual(1000);
    expect(middle.description).toBe(`d${middle.version - 1}`);
  });
});
