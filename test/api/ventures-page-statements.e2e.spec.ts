import { randomUUID } from 'node:crypto';
import { startTestApi, type TestApi } from '../../src/app/testing/api-harness';
import { startProjector, type Projector } from '../../src/projections/projector';
import { newEvent, ventureCreated } from '../../src/projections/testing/fixtures';
import { silentLogger } from '../../src/projections/testing/support';
import { expect as expectRevision, type NewEvent } from '../../src/write-model/event-store/event-store.port';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { recordingStatements } from '../support/read-statements';

jest.setTimeout(180_000);

/**
 * A page of ventures with their nested metrics and capital requests, through GraphQL over the real read models
 * built by the projector: one SQL statement on the read pool, whichever way the client selects the nested
 * fields (directly, in a named fragment, in an inline fragment).
 */

const TENANT = 'stmts';
const OTHER = 'stmts-other';
const VENTURES = 55;

interface Metric {
  readonly metricId: string;
  readonly value: number;
}
interface Request {
  readonly id: string;
  readonly status: string;
  readonly amount: { readonly amount: string; readonly currency: string };
}
interface Node {
  readonly id: string;
  readonly name: string;
  readonly gedsiMetrics: Metric[];
  readonly capitalRequests: Request[];
}

let db: TestDatabase;
let api: TestApi;
let projector: Projector;
let headers: Record<string, string>;
/** The position of the last write: reads after it (X-Read-After) see every write before. */
let last = '';
/** Our ventures as appended, in creation order, with the nested lists they must show. */
const expected: Node[] = [];
const foreignIds: string[] = [];

/** An instant `seconds` after a fixed origin: every write of the setup has its own, so the orders are the append orders. */
const at = (seconds: number): string => new Date(Date.UTC(2026, 2, 1) + seconds * 1000).toISOString();

async function append(streamId: string, events: NewEvent[], occurredAt: string): Promise<void> {
  const result = await api.store.append(streamId, events.map((e) => ({ ...e, occurredAt })), expectRevision.any);
  last = result.position;
}

const metricUpdated = (tenant: string, ventureId: string, metricId: string, period: string, value: number): NewEvent =>
  newEvent('GEDSIMetricUpdated', { ventureId, metricId, period, oldValue: null, newValue: value, unit: 'percent' }, tenant, 2);

async function requestCapital(tenant: string, ventureId: string, amount: string, currency: string, occurredAt: string): Promise<string> {
  const id = randomUUID();
  await append(`capital-${id}`, [newEvent('CapitalRequested', { capitalRequestId: id, ventureId, amount, currency, instrument: 'GRANT', purpose: 'growth' }, tenant)], occurredAt);
  return id;
}

/** The read pool's statements a query runs (the checkpoint poller shares the pool and is left out) and its data. */
async function statementsOf(query: string, variables: Record<string, unknown> = {}): Promise<{ data: Record<string, unknown>; reads: string[] }> {
  const { result: response, statements } = await recordingStatements(api.readApi.pool, () => api.graphql(query, variables, { ...headers, 'x-read-after': last }));
  if (response.errors.length > 0 || response.data === null) throw new Error(`expected an answer, got ${response.raw}`);
  return { data: response.data, reads: statements.filter((sql) => !sql.includes('proj_generations')) };
}

interface Page {
  readonly edges: { readonly node: Partial<Node> & { readonly id: string } }[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
}
const pageOf = (data: Record<string, unknown>): Page => data['ventures'] as Page;

const FIELDS = 'id name gedsiMetrics { metricId value } capitalRequests { id status amount { amount currency } }';

beforeAll(async () => {
  db = await createTestDatabase('e2e_page_statements');
  api = await startTestApi({ databaseUrl: db.url });
  projector = await startProjector({ databaseUrl: db.url, logger: silentLogger(), runtime: { tickMs: 50 } });
  headers = { authorization: `Bearer ${await api.token({ sub: 'sam', tenant: TENANT, roles: ['admin'] })}` };

  for (let i = 0; i < VENTURES; i++) {
    const id = randomUUID();
    const name = `Venture ${String(i).padStart(2, '0')}`;
    await append(`venture-${id}`, [ventureCreated(id, name, TENANT)], at(i));
    // Another tenant's ventures in between ours, with metrics and requests of their own.
    if (i % 20 === 0) {
      const foreign = randomUUID();
      foreignIds.push(foreign);
      await append(`venture-${foreign}`, [ventureCreated(foreign, `Foreign ${i}`, OTHER)], at(i));
      await append(`gedsi-${foreign}`, [metricUpdated(OTHER, foreign, 'women_ownership_pct', '2026-Q1', 99)], at(i));
      await requestCapital(OTHER, foreign, '1.00', 'USD', at(i));
    }

    // Metrics by i % 3: none; one; two (one of them in two periods: the later one counts), listed by metric id.
    const metrics: Metric[] = [];
    if (i % 3 === 1) {
      await append(`gedsi-${id}`, [metricUpdated(TENANT, id, 'women_ownership_pct', '2026-Q1', i)], at(i));
      metrics.push({ metricId: 'women_ownership_pct', value: i });
    }
    if (i % 3 === 2) {
      await append(`gedsi-${id}`, [metricUpdated(TENANT, id, 'women_ownership_pct', '2026-Q1', i), metricUpdated(TENANT, id, 'women_board_pct', '2026-Q2', i + 0.25), metricUpdated(TENANT, id, 'women_board_pct', '2025-Q4', 1)], at(i));
      metrics.push({ metricId: 'women_board_pct', value: i + 0.25 }, { metricId: 'women_ownership_pct', value: i });
    }

    // Capital requests by i % 4: none; one in USD; JPY and KWD (0 and 3 minor digits); one fully committed.
    const requests: Request[] = [];
    if (i % 4 === 1) {
      requests.push({ id: await requestCapital(TENANT, id, '10.5', 'USD', at(1000 + i)), status: 'REQUESTED', amount: { amount: '10.50', currency: 'USD' } });
    }
    if (i % 4 === 2) {
      requests.push({ id: await requestCapital(TENANT, id, '1500', 'JPY', at(1000 + i)), status: 'REQUESTED', amount: { amount: '1500', currency: 'JPY' } });
      requests.push({ id: await requestCapital(TENANT, id, '7.25', 'KWD', at(2000 + i)), status: 'REQUESTED', amount: { amount: '7.250', currency: 'KWD' } });
    }
    if (i % 4 === 3) {
      const committed = await requestCapital(TENANT, id, '100', 'USD', at(1000 + i));
      await append(`capital-${committed}`, [newEvent('InvestmentCommitted', { capitalRequestId: committed, investorId: randomUUID(), amount: '100', currency: 'USD', totalCommitted: '100' }, TENANT)], at(1000 + i));
      requests.push({ id: committed, status: 'COMMITTED', amount: { amount: '100.00', currency: 'USD' } });
    }
    expected.push({ id, name, gedsiMetrics: metrics, capitalRequests: requests });
  }
});

afterAll(async () => {
  await projector?.stop();
  await api?.close();
  await db?.drop();
});

describe('a page of ventures with nested metrics and capital requests', () => {
  it('costs one SQL statement for 50 ventures and answers the nested data appended', async () => {
    const { data, reads } = await statementsOf(`{ ventures(first: 50) { edges { node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } }`);
    const page = pageOf(data);
    expect(page.edges.map((e) => e.node)).toEqual(expected.slice(0, 50));
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toContain('rm_ventures');
    expect(reads[0]).toContain('rm_gedsi_latest');
    expect(reads[0]).toContain('rm_capital_requests');

    // The next page the same way: the rest of our ventures, none of the other tenant's.
    const next = await statementsOf(`query($after: String) { ventures(first: 50, after: $after) { edges { node { ${FIELDS} } } pageInfo { hasNextPage } } }`, {
      after: page.pageInfo.endCursor,
    });
    expect(pageOf(next.data).edges.map((e) => e.node)).toEqual(expected.slice(50));
    expect(pageOf(next.data).pageInfo.hasNextPage).toBe(false);
    expect(next.reads).toHaveLength(1);
    for (const foreign of foreignIds) expect(JSON.stringify([data, next.data])).not.toContain(foreign);
  });

  it('costs one statement when the nested fields come through a named fragment', async () => {
    const { data, reads } = await statementsOf(`{ ventures(first: 50) { edges { node { id ...F } } } } fragment F on Venture { gedsiMetrics { value } }`);
    expect(pageOf(data).edges.map((e) => e.node)).toEqual(expected.slice(0, 50).map((v) => ({ id: v.id, gedsiMetrics: v.gedsiMetrics.map((m) => ({ value: m.value })) })));
    expect(reads).toHaveLength(1);
    expect(reads[0]).toContain('rm_gedsi_latest');
    expect(reads[0]).not.toContain('rm_capital_requests');
  });

  it('costs one statement when the nested fields come through an inline fragment', async () => {
    const { data, reads } = await statementsOf('{ ventures(first: 50) { edges { node { id ... on Venture { capitalRequests { id status amount { amount currency } } } } } } }');
    expect(pageOf(data).edges.map((e) => e.node)).toEqual(expected.slice(0, 50).map((v) => ({ id: v.id, capitalRequests: v.capitalRequests })));
    expect(reads).toHaveLength(1);
    expect(reads[0]).toContain('rm_capital_requests');
    expect(reads[0]).not.toContain('rm_gedsi_latest');
  });

  it('costs one statement with both lists selected through a named fragment spreading an inline one', async () => {
    const { data, reads } = await statementsOf(`{ ventures(first: 50) { edges { ...E } } }
      fragment E on VentureEdge { node { id name ...F } }
      fragment F on Venture { gedsiMetrics { metricId value } ... { capitalRequests { id status amount { amount currency } } } }`);
    expect(pageOf(data).edges.map((e) => e.node)).toEqual(expected.slice(0, 50));
    expect(reads).toHaveLength(1);
  });

  it('reads the page alone, in one statement, when no nested field is selected', async () => {
    const { data, reads } = await statementsOf('{ ventures(first: 50) { edges { cursor node { id name } } pageInfo { hasNextPage } } }');
    expect(pageOf(data).edges.map((e) => e.node)).toEqual(expected.slice(0, 50).map((v) => ({ id: v.id, name: v.name })));
    expect(reads).toHaveLength(1);
    expect(reads[0]).toContain('rm_ventures');
    expect(reads[0]).not.toContain('rm_gedsi_latest');
    expect(reads[0]).not.toContain('rm_capital_requests');
  });

  it('reads its own writes with X-Read-After a mutation’s position, still in one statement', async () => {
    const target = expected[0];
    if (target === undefined) throw new Error('the setup creates ventures');
    const mutate = async (query: string, input: Record<string, unknown>): Promise<string> => {
      const { data, errors, raw } = await api.graphql(query, { input }, headers);
      if (errors.length > 0 || data === null) throw new Error(`expected success, got ${raw}`);
      const result = Object.values(data)[0] as { aggregateId: string; position: string };
      last = result.position;
      return result.aggregateId;
    };
    await mutate('mutation($input: RecordGEDSIMetricInput!) { recordGEDSIMetric(input: $input) { aggregateId position } }', {
      ventureId: target.id,
      metricId: 'women_workforce_pct',
      value: 64,
      period: '2026-Q2',
    });
    const requestId = await mutate('mutation($input: RequestCapitalInput!) { requestCapital(input: $input) { aggregateId position } }', {
      ventureId: target.id,
      amount: '3000',
      currency: 'JPY',
      instrument: 'DEBT',
      purpose: 'read your writes',
    });

    // `last` is the request's position: the read waits for the ventures, gedsi and capital read models to reach it.
    const { data, reads } = await statementsOf(`{ ventures(first: 3) { edges { node { ${FIELDS} } } } }`);
    expect(pageOf(data).edges[0]?.node).toEqual({
      ...target,
      gedsiMetrics: [...target.gedsiMetrics, { metricId: 'women_workforce_pct', value: 64 }].sort((a, b) => (a.metricId < b.metricId ? -1 : 1)),
      capitalRequests: [...target.capitalRequests, { id: requestId, status: 'REQUESTED', amount: { amount: '3000', currency: 'JPY' } }],
    });
    expect(pageOf(data).edges.slice(1).map((e) => e.node)).toEqual(expected.slice(1, 3));
    expect(reads).toHaveLength(1);
  });
});
