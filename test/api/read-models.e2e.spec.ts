import { randomUUID } from 'node:crypto';
import { startTestApi, type GraphQLResponse, type TestApi } from '../../src/app/testing/api-harness';
import { startProjector, type Projector } from '../../src/projections/projector';
import { silentLogger } from '../../src/projections/testing/support';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { mutations, mutationResult } from '../support/graphql-mutations';
import { recordingStatements } from '../support/read-statements';

jest.setTimeout(180_000);

/**
 * The contract's read queries against the real read models: the app and the projector on one test database,
 * writes through GraphQL mutations, reads with X-Read-After the mutations' positions.
 */

const { CREATE, RECORD, VERIFY, REQUEST, COMMIT } = mutations('aggregateId position');

let db: TestDatabase;
let api: TestApi;
let projector: Projector;
let alice: Record<string, string>;
let bob: Record<string, string>;
let bulk: Record<string, string>;
/** The position of the last mutation: reads after it see every write of the setup. */
let last = '';

const ids: Record<string, string> = {};
let solarRequest = '';
let maizeRequest = '';
const bulkIds: string[] = [];

async function mutate(query: string, input: Record<string, unknown>, headers: Record<string, string>): Promise<string> {
  const result = await mutationResult(api, query, input, headers);
  last = result.position;
  return result.aggregateId;
}

/** A query read after the setup's last write; fails the test on any error. */
async function read(query: string, headers = alice, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const response: GraphQLResponse = await api.graphql(query, variables, { ...headers, 'x-read-after': last });
  if (response.errors.length > 0 || response.data === null) throw new Error(`expected an answer, got ${response.raw}`);
  return response.data;
}

const createVenture = (headers: Record<string, string>, input: Record<string, unknown>) => mutate(CREATE, { description: null, ...input }, headers);

beforeAll(async () => {
  db = await createTestDatabase('e2e_read_models');
  api = await startTestApi({ databaseUrl: db.url });
  projector = await startProjector({ databaseUrl: db.url, logger: silentLogger(), runtime: { tickMs: 50 } });
  alice = { authorization: `Bearer ${await api.token({ sub: 'alice', tenant: 'acme', roles: ['admin'] })}` };
  bob = { authorization: `Bearer ${await api.token({ sub: 'bob', tenant: 'globex', roles: ['admin'] })}` };
  bulk = { authorization: `Bearer ${await api.token({ sub: 'carol', tenant: 'bulk', roles: ['admin'] })}` };

  ids['solar'] = await createVenture(alice, { name: 'Solar Kiosks', sector: 'energy', country: 'KE', stage: 'SEED', description: 'off-grid solar kiosks for rural markets' });
  ids['maize'] = await createVenture(alice, { name: 'Maize Mills', sector: 'agriculture', country: 'UG', stage: 'IDEA' });
  ids['clinic'] = await createVenture(alice, { name: 'Clinic Link', sector: 'health', country: 'KE', stage: 'SEED' });
  for (let i = 1; i <= 4; i++) ids[`grid${i}`] = await createVenture(alice, { name: `Mini Grid ${i}`, sector: 'energy', country: 'KE', stage: 'SEED' });
  ids['globex'] = await createVenture(bob, { name: 'Solar Globex', sector: 'energy', country: 'KE', stage: 'SEED' });

  await mutate(RECORD, { ventureId: ids['solar'], metricId: 'women_ownership_pct', value: 60, period: '2026-Q1' }, alice);
  await mutate(VERIFY, { ventureId: ids['solar'], metricId: 'women_ownership_pct', period: '2026-Q1' }, alice);
  await mutate(RECORD, { ventureId: ids['maize'], metricId: 'women_ownership_pct', value: 40, period: '2026-Q1' }, alice);
  await mutate(RECORD, { ventureId: ids['globex'], metricId: 'women_ownership_pct', value: 99, period: '2026-Q1' }, bob);

  solarRequest = await mutate(REQUEST, { ventureId: ids['solar'], amount: '1000.00', currency: 'USD', instrument: 'GRANT', purpose: 'kiosks' }, alice);
  await mutate(COMMIT, { capitalRequestId: solarRequest, amount: '400.00', currency: 'USD', investorId: randomUUID() }, alice);
  maizeRequest = await mutate(REQUEST, { ventureId: ids['maize'], amount: '250.5', currency: 'USD', instrument: 'DEBT', purpose: 'mills' }, alice);
  await mutate(REQUEST, { ventureId: ids['globex'], amount: '7', currency: 'USD', instrument: 'GRANT', purpose: 'other tenant' }, bob);

  // Another tenant with 50 ventures, each with a metric and a capital request (the N+1 check).
  for (let i = 0; i < 50; i++) {
    const ventureId = await createVenture(bulk, { name: `Bulk ${String(i).padStart(2, '0')}`, sector: 'finance', country: 'RW', stage: 'GROWTH' });
    bulkIds.push(ventureId);
    await mutate(RECORD, { ventureId, metricId: 'women_board_pct', value: i, period: '2026-Q1' }, bulk);
    await mutate(REQUEST, { ventureId, amount: '10', currency: 'USD', instrument: 'GRANT', purpose: 'bulk' }, bulk);
  }
});

afterAll(async () => {
  await projector?.stop();
  await api?.close();
  await db?.drop();
});

describe('venture(id)', () => {
  it('answers the venture with its latest metrics and capital requests', async () => {
    const data = await read(`query($id: ID!) { venture(id: $id) {
      id name sector country stage description version createdAt updatedAt
      gedsiMetrics { metricId value unit period verified updatedBy }
      capitalRequests { id ventureId amount { amount currency } instrument purpose status committed { amount currency } captured { amount } disbursed { amount } } } }`,
    alice, { id: ids['solar'] });
    expect(data['venture']).toEqual({
      id: ids['solar'],
      name: 'Solar Kiosks',
      sector: 'energy',
      country: 'KE',
      stage: 'SEED',
      description: 'off-grid solar kiosks for rural markets',
      version: 0,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      gedsiMetrics: [{ metricId: 'women_ownership_pct', value: 60, unit: 'percent', period: '2026-Q1', verified: true, updatedBy: 'alice' }],
      capitalRequests: [
        {
          id: solarRequest,
          ventureId: ids['solar'],
          amount: { amount: '1000.00', currency: 'USD' },
          instrument: 'GRANT',
          purpose: 'kiosks',
          // A partial commitment keeps the request open (REQUESTED) and counts what is committed.
          status: 'REQUESTED',
          committed: { amount: '400.00', currency: 'USD' },
          captured: { amount: '0.00' },
          disbursed: { amount: '0.00' },
        },
      ],
    });
  });

  it('is null for a missing venture and for another tenant’s venture', async () => {
    expect(await read(`{ venture(id: "${randomUUID()}") { id } }`)).toEqual({ venture: null });
    expect(await read(`{ venture(id: "${ids['globex']}") { id } }`)).toEqual({ venture: null });
    expect(await read(`{ venture(id: "${ids['solar']}") { id } }`, bob)).toEqual({ venture: null });
  });
});

describe('ventures', () => {
  it('filters by sector, country, stage and nameContains, with the total count', async () => {
    const names = async (filter: string) => {
      const data = await read(`{ ventures(filter: ${filter}) { totalCount edges { node { name } } } }`);
      const page = data['ventures'] as { totalCount: number; edges: { node: { name: string } }[] };
      return { totalCount: page.totalCount, names: page.edges.map((e) => e.node.name) };
    };
    expect(await names('{}')).toEqual({ totalCount: 7, names: ['Solar Kiosks', 'Maize Mills', 'Clinic Link', 'Mini Grid 1', 'Mini Grid 2', 'Mini Grid 3', 'Mini Grid 4'] });
    expect(await names('{ sector: "energy" }')).toEqual({ totalCount: 5, names: ['Solar Kiosks', 'Mini Grid 1', 'Mini Grid 2', 'Mini Grid 3', 'Mini Grid 4'] });
    expect(await names('{ country: "UG" }')).toEqual({ totalCount: 1, names: ['Maize Mills'] });
    expect(await names('{ stage: IDEA }')).toEqual({ totalCount: 1, names: ['Maize Mills'] });
    expect(await names('{ sector: "energy", nameContains: "grid 3" }')).toEqual({ totalCount: 1, names: ['Mini Grid 3'] });
    expect(await names('{ nameContains: "%" }')).toEqual({ totalCount: 0, names: [] });
  });

  it('pages with endCursor until hasNextPage is false, every venture once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const data = await read('query($after: String) { ventures(first: 3, after: $after, filter: { sector: "energy" }) { totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }', alice, { after });
      const page = data['ventures'] as { totalCount: number; edges: { cursor: string; node: { name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      expect(page.totalCount).toBe(5);
      seen.push(...page.edges.map((e) => e.node.name));
      expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1]?.cursor ?? null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(['Solar Kiosks', 'Mini Grid 1', 'Mini Grid 2', 'Mini Grid 3', 'Mini Grid 4']);
  });

  it('keeps a cursor valid while ventures are added, and counts them as soon as the client has seen their writes', async () => {
    const dave = { authorization: `Bearer ${await api.token({ sub: 'dave', tenant: 'growing', roles: ['admin'] })}` };
    const PAGE = 'query($after: String) { ventures(first: 2, after: $after) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }';
    type Page = { totalCount: number; edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    const page = async (after: string | null): Promise<Page> => (await read(PAGE, dave, { after }))['ventures'] as Page;
    for (const name of ['Old 1', 'Old 2', 'Old 3']) await createVenture(dave, { name, sector: 'energy', country: 'KE', stage: 'SEED' });

    const first = await page(null);
    expect(first).toMatchObject({ totalCount: 3, edges: [{ node: { name: 'Old 1' } }, { node: { name: 'Old 2' } }] });
    for (const name of ['New 1', 'New 2']) await createVenture(dave, { name, sector: 'energy', country: 'KE', stage: 'SEED' });

    // Read after the new writes (X-Read-After): the count is not one cached before them.
    const second = await page(first.pageInfo.endCursor);
    expect(second.totalCount).toBe(5);
    expect(second.edges.map((e) => e.node.name)).toEqual(['Old 3', 'New 1']);
    const third = await page(second.pageInfo.endCursor);
    expect(third.edges.map((e) => e.node.name)).toEqual(['New 2']);
    expect(third.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a cursor that is not one of its own as bad input', async () => {
    const { errors } = await api.graphql('{ ventures(after: "not-a-cursor") { totalCount } }', {}, alice);
    expect(errors.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field: 'after' }]);
  });
});

describe('searchVentures', () => {
  const search = async (text: string, extra = '', headers = alice) => {
    const data = await read(`query($text: String!) { searchVentures(text: $text${extra}) { totalCount edges { node { id name } } } }`, headers, { text });
    const page = data['searchVentures'] as { totalCount: number; edges: { node: { id: string; name: string } }[] };
    return { totalCount: page.totalCount, names: page.edges.map((e) => e.node.name) };
  };

  it('finds by words of the name and description, by prefixes, and by sector', async () => {
    expect(await search('solar')).toEqual({ totalCount: 1, names: ['Solar Kiosks'] });
    expect(await search('kios')).toEqual({ totalCount: 1, names: ['Solar Kiosks'] });
    expect(await search('rural markets')).toEqual({ totalCount: 1, names: ['Solar Kiosks'] });
    expect((await search('energy')).totalCount).toBe(5);
    expect(await search('no such venture anywhere')).toEqual({ totalCount: 0, names: [] });
  });

  it('applies the ventures filter (nameContains, sector) and pages', async () => {
    expect(await search('energy', ', filter: { nameContains: "Grid 2" }')).toEqual({ totalCount: 1, names: ['Mini Grid 2'] });
    expect(await search('grid', ', filter: { sector: "health" }')).toEqual({ totalCount: 0, names: [] });
    // "grid" is also a word of the Solar Kiosks description ("off-grid").
    const first = await search('grid', ', first: 2');
    expect(first.totalCount).toBe(5);
    expect(first.names).toHaveLength(2);
  });

  it('never finds another tenant’s ventures', async () => {
    expect(await search('solar', '', bob)).toEqual({ totalCount: 1, names: ['Solar Globex'] });
  });
});

describe('capitalRequest(s)', () => {
  it('answers one request by id, null for another tenant', async () => {
    const data = await read(`{ capitalRequest(id: "${maizeRequest}") { id ventureId amount { amount currency } instrument status } }`);
    expect(data['capitalRequest']).toEqual({ id: maizeRequest, ventureId: ids['maize'], amount: { amount: '250.50', currency: 'USD' }, instrument: 'DEBT', status: 'REQUESTED' });
    expect(await read(`{ capitalRequest(id: "${maizeRequest}") { id } }`, bob)).toEqual({ capitalRequest: null });
  });

  it('lists requests oldest first, by venture and by status, with paging', async () => {
    const list = async (args: string) => {
      const data = await read(`{ capitalRequests(${args}) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`);
      return data['capitalRequests'] as { totalCount: number; edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    };
    const all = await list('first: 20');
    expect(all.totalCount).toBe(2);
    expect(all.edges.map((e) => e.node.id)).toEqual([solarRequest, maizeRequest]);
    expect((await list(`ventureId: "${ids['maize']}"`)).edges.map((e) => e.node.id)).toEqual([maizeRequest]);
    expect((await list('status: REQUESTED')).totalCount).toBe(2);
    expect((await list('status: REJECTED')).edges).toEqual([]);
    const one = await list('first: 1');
    expect(one).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const next = await read('query($after: String) { capitalRequests(first: 1, after: $after) { edges { node { id } } pageInfo { hasNextPage } } }', alice, { after: one.pageInfo.endCursor });
    expect(next).toEqual({ capitalRequests: { edges: [{ node: { id: maizeRequest } }], pageInfo: { hasNextPage: false } } });
  });
});

describe('dashboards', () => {
  it('gedsiDashboard aggregates the latest metrics of the tenant, by sector and country', async () => {
    const data = await read('{ gedsiDashboard { ventures metrics { metricId unit ventures average min max verifiedShare } bySector { key ventures metrics { metricId average } } byCountry { key ventures } } }');
    expect(data['gedsiDashboard']).toEqual({
      ventures: 7,
      metrics: [{ metricId: 'women_ownership_pct', unit: 'percent', ventures: 2, average: 50, min: 40, max: 60, verifiedShare: 0.5 }],
      bySector: [
        { key: 'agriculture', ventures: 1, metrics: [{ metricId: 'women_ownership_pct', average: 40 }] },
        { key: 'energy', ventures: 5, metrics: [{ metricId: 'women_ownership_pct', average: 60 }] },
        { key: 'health', ventures: 1, metrics: [] },
      ],
      byCountry: [
        { key: 'KE', ventures: 6 },
        { key: 'UG', ventures: 1 },
      ],
    });
    const energy = await read('{ gedsiDashboard(filter: { sector: "energy" }) { ventures metrics { metricId ventures average } } }');
    expect(energy['gedsiDashboard']).toEqual({ ventures: 5, metrics: [{ metricId: 'women_ownership_pct', ventures: 1, average: 60 }] });
  });

  it('capitalDashboard counts by status and totals per currency', async () => {
    const data = await read('{ capitalDashboard { requests byStatus { status count } totals { currency requested committed captured disbursed } } }');
    expect(data['capitalDashboard']).toEqual({
      requests: 2,
      byStatus: [{ status: 'REQUESTED', count: 2 }],
      totals: [{ currency: 'USD', requested: '1250.50', committed: '400.00', captured: '0.00', disbursed: '0.00' }],
    });
    const agriculture = await read('{ capitalDashboard(filter: { sector: "agriculture" }) { requests totals { requested } } }');
    expect(agriculture['capitalDashboard']).toEqual({ requests: 1, totals: [{ requested: '250.50' }] });
  });
});

describe('another tenant', () => {
  it('sees none of acme’s ventures, requests or figures', async () => {
    const stranger = { authorization: `Bearer ${await api.token({ sub: 'eve', tenant: 'initech', roles: ['admin'] })}` };
    expect(
      await read(
        `{ ventures { totalCount edges { node { id } } } searchVentures(text: "solar") { totalCount } capitalRequests { totalCount }
           gedsiDashboard { ventures metrics { metricId } } capitalDashboard { requests totals { currency } } venture(id: "${ids['solar']}") { id } }`,
        stranger,
      ),
    ).toEqual({
      ventures: { totalCount: 0, edges: [] },
      searchVentures: { totalCount: 0 },
      capitalRequests: { totalCount: 0 },
      gedsiDashboard: { ventures: 0, metrics: [] },
      capitalDashboard: { requests: 0, totals: [] },
      venture: null,
    });
  });
});

/** The read models' SQL statements a query runs (the checkpoint poller shares the pool and is left out). */
async function statementsOf(query: string, headers: Record<string, string>): Promise<{ data: Record<string, unknown>; reads: string[] }> {
  const { result: data, statements } = await recordingStatements(api.readApi.pool, () => read(query, headers));
  return { data, reads: statements.filter((sql) => !sql.includes('proj_generations')) };
}

describe('N+1 against the real read models', () => {
  it('a page of 50 ventures with nested metrics and capital requests costs one SQL statement', async () => {
    const { data, reads } = await statementsOf('{ ventures(first: 50) { edges { node { id gedsiMetrics { metricId value } capitalRequests { id amount { amount } } } } } }', bulk);
    const page = data['ventures'] as { edges: { node: { id: string; gedsiMetrics: unknown[]; capitalRequests: unknown[] } }[] };
    expect(page.edges.map((e) => e.node.id)).toEqual(bulkIds);
    expect(page.edges.every((e) => e.node.gedsiMetrics.length === 1 && e.node.capitalRequests.length === 1)).toBe(true);
    // The page reads the nested lists along (and no count nobody asked for).
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatch(/rm_ventures[\s\S]*rm_gedsi_latest|rm_gedsi_latest[\s\S]*rm_ventures/);
    expect(reads[0]).toContain('rm_capital_requests');
    expect(reads[0]).not.toContain('count(*)');
  });

  it('counts a page only when totalCount is selected, once per position of the ventures read model', async () => {
    const query = '{ ventures(first: 5, filter: { country: "RW" }) { totalCount edges { node { id } } } }';
    const counted = await statementsOf(query, bulk);
    expect((counted.data['ventures'] as { totalCount: number }).totalCount).toBe(50);
    expect(counted.reads.filter((sql) => sql.includes('count(*)'))).toHaveLength(1);
    const again = await statementsOf(query, bulk);
    expect((again.data['ventures'] as { totalCount: number }).totalCount).toBe(50);
    expect(again.reads.filter((sql) => sql.includes('count(*)'))).toHaveLength(0);
  });
});
