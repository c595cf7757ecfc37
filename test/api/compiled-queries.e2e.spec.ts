import { randomUUID } from 'node:crypto';
import { startTestApi, type TestApi } from '../../src/app/testing/api-harness';
import { startProjector, type Projector } from '../../src/projections/projector';
import { silentLogger } from '../../src/projections/testing/support';
import type { EventStore } from '../../src/write-model/event-store/event-store.port';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { mutations, mutationResult } from '../support/graphql-mutations';

jest.setTimeout(180_000);

/**
 * The driver runs mercurius with adaptive JIT (`jit: { minCount: 2, eluThreshold: 1 }`): the first two times a
 * query text arrives it is executed by graphql-js; the second one queues it for compilation with graphql-jit in
 * the background (node_modules/mercurius/lib/adaptive-jit.js; deferred while the event loop is busy), and a
 * later run executes the compiled function. (With
 * `jit: 1` mercurius compiled on the second request and skipped graphql-js's check of its variables there: seven
 * cases below answered that request with other messages, one with INTERNAL.) graphql-jit is a different
 * executor (default resolver, variable coercion, error paths, null propagation), so every query here is sent
 * with the same text, variables and headers until a run was compiled, and all answers (HTTP status and parsed
 * body) must be identical. Nothing is stripped: the body carries no per-request value (the correlation id travels
 * in a response header only), the clock is pinned before the comparisons (the "asOf lies in the future"
 * message names the current instant) and no write happens between the runs.
 *
 * The LRU mercurius keeps its parsed and compiled queries in is a closure variable, not reachable from the
 * fastify instance. To prove the last run really took the compiled path, graphql-jit's
 * `compileQuery` is wrapped (below) to count executions of compiled queries by query text.
 */

/** Executions of graphql-jit compiled queries, by query text. */
const mockCompiledRuns = new Map<string, number>();

jest.mock('graphql-jit', () => {
  type Compile = (schema: unknown, document: { loc?: { source: { body: string } } }, ...rest: unknown[]) => unknown;
  const actual = jest.requireActual<{ compileQuery: Compile }>('graphql-jit');
  const compileQuery: Compile = (schema, document, ...rest) => {
    const compiled = actual.compileQuery(schema, document, ...rest);
    const text = document.loc?.source.body;
    const query: unknown = typeof compiled === 'object' && compiled !== null ? (compiled as { query?: unknown }).query : undefined;
    if (text !== undefined && typeof query === 'function') {
      (compiled as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        mockCompiledRuns.set(text, (mockCompiledRuns.get(text) ?? 0) + 1);
        return (query as (...a: unknown[]) => unknown).apply(compiled, args);
      };
    }
    return compiled;
  };
  return { ...actual, compileQuery };
});

const { CREATE, UPDATE, RECORD, VERIFY, REQUEST, COMMIT } = mutations('aggregateId position');

/** Reads of this stream fail in the store: a safe way to provoke an unexpected (INTERNAL) error. */
const CURSED = '00000000-0000-4000-8000-00000000dead';
const MISSING = '00000000-0000-4000-8000-000000000001';

let db: TestDatabase;
let api: TestApi;
let projector: Projector;
/** Unset while seeding (real time); pinned before the comparisons. */
let pinnedNow: Date | undefined;

type Who = 'admin' | 'founder' | 'auditor' | 'operator' | 'globex' | 'anonymous' | 'forged';
const tokens = {} as Record<Who, Record<string, string>>;
/** The position of the last seeding write: every read waits for it (X-Read-After). */
let last = '';
const ids: Record<string, string> = {};
let solarRequest = '';
let maizeRequest = '';
/** When the solar venture was created, and when its profile (description, stage) changed. */
let solarCreatedAt = '';
let solarUpdatedAt = '';

async function mutate(query: string, input: Record<string, unknown>, headers: Record<string, string>): Promise<string> {
  const result = await mutationResult(api, query, input, headers);
  last = result.position;
  return result.aggregateId;
}

beforeAll(async () => {
  db = await createTestDatabase('e2e_compiled');
  const cursed = (store: EventStore): EventStore =>
    new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'readStream') return Reflect.get(target, property, receiver) as unknown;
        return (streamId: string, ...rest: []) => {
          if (streamId.includes(CURSED)) return Promise.reject(new Error('disk on fire at /var/lib/secret'));
          return target.readStream(streamId, ...rest);
        };
      },
    });
  api = await startTestApi({
    databaseUrl: db.url,
    clock: { now: () => pinnedNow ?? new Date() },
    wrapStore: cursed,
    read: { rateLimit: { points: 100_000, windowSeconds: 60 } },
  });
  projector = await startProjector({ databaseUrl: db.url, logger: silentLogger(), runtime: { tickMs: 50 } });
  const bearer = async (sub: string, roles: string[], tenant = 'acme') => ({ authorization: `Bearer ${await api.token({ sub, tenant, roles })}` });
  tokens.admin = await bearer('alice', ['admin']);
  tokens.founder = await bearer('fran', ['founder']);
  tokens.auditor = await bearer('audrey', ['auditor']);
  tokens.operator = await bearer('olga', ['operator']);
  tokens.globex = await bearer('bob', ['admin'], 'globex');
  tokens.anonymous = {};
  tokens.forged = { authorization: 'Bearer not-a-token' };

  const admin = tokens.admin;
  const create = (headers: Record<string, string>, input: Record<string, unknown>) => mutate(CREATE, { description: null, ...input }, headers);
  ids['solar'] = await create(admin, { name: 'Solar Kiosks', sector: 'energy', country: 'KE', stage: 'SEED', description: 'off-grid solar kiosks' });
  ids['maize'] = await create(admin, { name: 'Maize Mills', sector: 'agriculture', country: 'UG', stage: 'IDEA' });
  for (let i = 1; i <= 3; i++) ids[`grid${i}`] = await create(admin, { name: `Mini Grid ${i}`, sector: 'energy', country: 'KE', stage: 'SEED' });
  ids['globex'] = await create(tokens.globex, { name: 'Solar Globex', sector: 'energy', country: 'KE', stage: 'SEED' });
  await mutate(UPDATE, { ventureId: ids['solar'], description: 'off-grid solar kiosks and lamps', stage: 'SERIES_A' }, admin);

  await mutate(RECORD, { ventureId: ids['solar'], metricId: 'women_ownership_pct', value: 60, period: '2026-Q1' }, admin);
  await mutate(VERIFY, { ventureId: ids['solar'], metricId: 'women_ownership_pct', period: '2026-Q1' }, admin);
  await mutate(RECORD, { ventureId: ids['maize'], metricId: 'women_ownership_pct', value: 40.5, period: '2026-Q1' }, admin);
  await mutate(RECORD, { ventureId: ids['globex'], metricId: 'women_ownership_pct', value: 99, period: '2026-Q1' }, tokens.globex);

  solarRequest = await mutate(REQUEST, { ventureId: ids['solar'], amount: '1000.00', currency: 'USD', instrument: 'GRANT', purpose: 'kiosks' }, admin);
  await mutate(COMMIT, { capitalRequestId: solarRequest, amount: '400.00', currency: 'USD', investorId: randomUUID() }, admin);
  maizeRequest = await mutate(REQUEST, { ventureId: ids['maize'], amount: '250.5', currency: 'USD', instrument: 'DEBT', purpose: 'mills' }, admin);
  await mutate(REQUEST, { ventureId: ids['globex'], amount: '7', currency: 'USD', instrument: 'GRANT', purpose: 'other tenant' }, tokens.globex);

  const solarEvents = await api.store.readStream(`venture-${ids['solar']}`);
  solarCreatedAt = solarEvents[0]?.occurredAt ?? '';
  solarUpdatedAt = solarEvents[1]?.occurredAt ?? '';
  // Every read model has applied the whole setup before the clock stops.
  const warm = await api.graphql(
    '{ ventures { totalCount } searchVentures(text: "solar") { totalCount } capitalRequests { totalCount } gedsiDashboard { ventures } }',
    {},
    { ...admin, 'x-read-after': last },
  );
  if (warm.errors.length > 0) throw new Error(`read models did not catch up: ${warm.raw}`);
  pinnedNow = new Date(Date.now() + 1000);
});

afterAll(async () => {
  await projector?.stop();
  await api?.close();
  await db?.drop();
});

interface Answer {
  readonly status: number;
  readonly body: { data?: Record<string, unknown> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
}

interface Case {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly operationName?: string;
  readonly as?: Who;
  /** Extra headers (X-Read-After defaults to the setup's last position). */
  readonly headers?: Record<string, string>;
  /**
   * Whether the query gets compiled (the default): then it is sent until a run executes the compiled query
   * (compilation happens in the background after the second run). Documents refused before execution (parse,
   * validation, variables) never are: they are sent three times.
   */
  readonly compiles?: boolean;
}

const sent = new Set<string>();

/**
 * Sends the same request until it ran compiled (three times for one that never compiles) and expects identical
 * answers every time. The case name goes into the text as a comment: mercurius keys its cache by text, so each
 * case's first runs are interpreted.
 */
async function repeatedly(name: string, c: Case): Promise<Answer> {
  const text = `# ${name}\n${c.query}`;
  if (sent.has(text)) throw new Error(`"${name}" was already sent: its first run would not be interpreted`);
  sent.add(text);
  const payload = JSON.stringify({ query: text, ...(c.variables !== undefined && { variables: c.variables }), ...(c.operationName !== undefined && { operationName: c.operationName }) });
  const headers = { 'content-type': 'application/json', 'x-read-after': last, ...tokens[c.as ?? 'admin'], ...c.headers };
  const answers: Answer[] = [];
  const compiled: boolean[] = [];
  const compiles = c.compiles !== false;
  for (let run = 0; run < (compiles ? 100 : 3); run++) {
    // From the third run on, give the background compilation (deferred while the event loop is busy) its turn.
    if (run >= 2) await new Promise((resolve) => setTimeout(resolve, 50));
    const before = mockCompiledRuns.get(text) ?? 0;
    const response = await api.app.inject({ method: 'POST', url: '/graphql', headers, payload });
    answers.push({ status: response.statusCode, body: JSON.parse(response.body) as Answer['body'] });
    compiled.push((mockCompiledRuns.get(text) ?? 0) > before);
    if (compiles && compiled[run] === true) break;
  }
  const [first] = answers;
  if (first === undefined) throw new Error('unreachable');
  // One assertion over all of them, so a failure prints the interpreted answer beside the compiled ones.
  expect(answers.slice(1)).toStrictEqual(answers.slice(1).map(() => first));
  expect(compiled.slice(0, 2)).toEqual([false, false]);
  expect(compiled.some(Boolean)).toBe(compiles);
  return first;
}

/** The data of a successful answer. */
function dataOf(answer: Answer): Record<string, unknown> {
  expect(answer.status).toBe(200);
  expect(answer.body.errors).toBeUndefined();
  if (answer.body.data === undefined || answer.body.data === null) throw new Error(`expected data, got ${JSON.stringify(answer.body)}`);
  return answer.body.data;
}

/** Each error as code, field and path (`-` where absent). */
const errorsOf = (answer: Answer): string[] =>
  (answer.body.errors ?? []).map((e) => [e.extensions?.['code'], e.extensions?.['field'] ?? '-', e.path?.join('.') ?? '-'].join(' '));

const VENTURE_FIELDS = 'id name sector country stage description version createdAt updatedAt';
const CAPITAL_FIELDS = `id ventureId amount { amount currency } instrument purpose status committed { amount currency } captured { amount currency }
  disbursed { amount currency } requestedAt updatedAt`;
const AUDIT_NODE = 'eventId streamId revision position type schemaVersion data metadata occurredAt';

describe('every root query field, answered the same interpreted and compiled', () => {
  it('viewer', async () => {
    expect(dataOf(await repeatedly('viewer', { query: '{ viewer { subject tenant roles } }' }))).toEqual({ viewer: { subject: 'alice', tenant: 'acme', roles: ['admin'] } });
  });

  it('gedsiMetricCatalog', async () => {
    const data = dataOf(await repeatedly('catalog', { query: '{ gedsiMetricCatalog { metricId name description unit min max } }' }));
    expect(data['gedsiMetricCatalog']).toEqual(expect.arrayContaining([expect.objectContaining({ metricId: 'women_ownership_pct', unit: 'percent' })]));
  });

  it('venture found, with every field and its nested lists and history (totalCount)', async () => {
    const data = dataOf(
      await repeatedly('venture found', {
        query: `query($id: ID!) { venture(id: $id) { ${VENTURE_FIELDS}
          gedsiMetrics { metricId value unit period verified updatedAt updatedBy }
          capitalRequests { ${CAPITAL_FIELDS} }
          history(first: 10) { totalCount edges { cursor node { ${AUDIT_NODE} } } pageInfo { hasNextPage endCursor } } } }`,
        variables: { id: ids['solar'] },
      }),
    );
    expect(data['venture']).toMatchObject({
      id: ids['solar'],
      stage: 'SERIES_A',
      version: 2,
      gedsiMetrics: [{ metricId: 'women_ownership_pct', value: 60, verified: true }],
      capitalRequests: [{ id: solarRequest, status: 'REQUESTED', committed: { amount: '400.00' } }],
      history: { totalCount: 3, pageInfo: { hasNextPage: false } },
    });
  });

  it('venture not found, and another tenant’s venture, are null', async () => {
    expect(dataOf(await repeatedly('venture missing', { query: `{ venture(id: "${MISSING}") { id name } }` }))).toEqual({ venture: null });
    expect(dataOf(await repeatedly('venture other tenant', { query: 'query($id: ID!) { venture(id: $id) { id name } }', variables: { id: ids['globex'] } }))).toEqual({
      venture: null,
    });
    expect(dataOf(await repeatedly('venture seen by globex', { query: `{ venture(id: "${ids['solar']}") { id } }`, as: 'globex' }))).toEqual({ venture: null });
  });

  it('ventures with a filter, first and totalCount, then the next page by cursor', async () => {
    const query = `query($filter: VentureFilter, $first: Int, $after: String) { ventures(filter: $filter, first: $first, after: $after) {
      totalCount edges { cursor node { id name stage } } pageInfo { hasNextPage endCursor } } }`;
    type Page = { totalCount: number; edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    const first = dataOf(await repeatedly('ventures page 1', { query, variables: { filter: { sector: 'energy' }, first: 2 } }))['ventures'] as Page;
    expect(first).toMatchObject({ totalCount: 4, edges: [{ node: { name: 'Solar Kiosks' } }, { node: { name: 'Mini Grid 1' } }], pageInfo: { hasNextPage: true } });
    const second = dataOf(await repeatedly('ventures page 2', { query, variables: { filter: { sector: 'energy' }, first: 2, after: first.pageInfo.endCursor } }))['ventures'] as Page;
    expect(second).toMatchObject({ totalCount: 4, edges: [{ node: { name: 'Mini Grid 2' } }, { node: { name: 'Mini Grid 3' } }], pageInfo: { hasNextPage: false } });
    const literal = dataOf(
      await repeatedly('ventures cursor literal', { query: `{ ventures(first: 1, after: "${first.pageInfo.endCursor}", filter: { sector: "energy", stage: SEED }) { edges { node { name } } } }` }),
    );
    expect(literal).toEqual({ ventures: { edges: [{ node: { name: 'Mini Grid 2' } }] } });
  });

  it('ventures without totalCount, and with the argument defaults', async () => {
    const data = dataOf(await repeatedly('ventures no count', { query: '{ ventures { edges { node { id name } } pageInfo { hasNextPage endCursor } } }' }));
    expect((data['ventures'] as { edges: unknown[] }).edges).toHaveLength(5);
  });

  it('ventures with nested gedsiMetrics, capitalRequests and history with totalCount', async () => {
    const data = dataOf(
      await repeatedly('ventures nested', {
        query: `{ ventures(first: 5) { totalCount edges { node { id name gedsiMetrics { metricId value verified } capitalRequests { id status amount { amount currency } }
          history(first: 1) { totalCount edges { node { type revision } } pageInfo { hasNextPage } } } } } }`,
      }),
    );
    expect(data['ventures']).toMatchObject({
      totalCount: 5,
      edges: [
        { node: { name: 'Solar Kiosks', gedsiMetrics: [{ value: 60 }], capitalRequests: [{ id: solarRequest }], history: { totalCount: 3, pageInfo: { hasNextPage: true } } } },
        { node: { name: 'Maize Mills', gedsiMetrics: [{ value: 40.5 }], capitalRequests: [{ id: maizeRequest }], history: { totalCount: 1 } } },
        {},
        {},
        { node: { gedsiMetrics: [], capitalRequests: [] } },
      ],
    });
  });

  it('searchVentures, with and without totalCount and a filter', async () => {
    const data = dataOf(await repeatedly('search', { query: 'query($text: String!) { searchVentures(text: $text, first: 5) { totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }', variables: { text: 'solar' } }));
    expect(data['searchVentures']).toMatchObject({ totalCount: 1, edges: [{ node: { name: 'Solar Kiosks' } }] });
    const filtered = dataOf(await repeatedly('search filtered', { query: '{ searchVentures(text: "grid", filter: { nameContains: "2" }) { edges { node { name } } } }' }));
    expect(filtered).toEqual({ searchVentures: { edges: [{ node: { name: 'Mini Grid 2' } }] } });
  });

  it('ventureAsOf now, before the profile change and before the venture existed', async () => {
    const query = `query($id: ID!, $asOf: DateTime!) { ventureAsOf(id: $id, asOf: $asOf) { ${VENTURE_FIELDS} gedsiMetrics { metricId value verified } capitalRequests { id status }
      history { totalCount edges { node { type revision } } } } }`;
    const now = dataOf(await repeatedly('as of now', { query, variables: { id: ids['solar'], asOf: pinnedNow?.toISOString() } }));
    expect(now['ventureAsOf']).toMatchObject({ stage: 'SERIES_A', version: 2, history: { totalCount: 3 }, capitalRequests: [{ id: solarRequest }] });
    const early = dataOf(await repeatedly('as of creation', { query, variables: { id: ids['solar'], asOf: solarCreatedAt }, as: 'auditor' }));
    expect(early['ventureAsOf']).toMatchObject({ stage: 'SEED', version: 0, gedsiMetrics: [], capitalRequests: [], history: { totalCount: 1 } });
    expect(solarUpdatedAt > solarCreatedAt).toBe(true);
    const before = dataOf(await repeatedly('as of 2001', { query: `{ ventureAsOf(id: "${ids['solar']}", asOf: "2001-01-01T00:00:00+02:00") { id } }` }));
    expect(before).toEqual({ ventureAsOf: null });
  });

  it('capitalRequest by id, missing, and another tenant’s', async () => {
    const data = dataOf(await repeatedly('capital request', { query: `query($id: ID!) { capitalRequest(id: $id) { ${CAPITAL_FIELDS} } }`, variables: { id: maizeRequest } }));
    expect(data['capitalRequest']).toMatchObject({ id: maizeRequest, amount: { amount: '250.50', currency: 'USD' }, instrument: 'DEBT', status: 'REQUESTED' });
    expect(dataOf(await repeatedly('capital request missing', { query: `{ capitalRequest(id: "${MISSING}") { id } }` }))).toEqual({ capitalRequest: null });
    expect(dataOf(await repeatedly('capital request globex', { query: `{ capitalRequest(id: "${maizeRequest}") { id } }`, as: 'globex' }))).toEqual({ capitalRequest: null });
  });

  it('capitalRequests with totalCount, by status, by venture and by cursor', async () => {
    const query = `query($ventureId: ID, $status: CapitalRequestStatus, $first: Int, $after: String) {
      capitalRequests(ventureId: $ventureId, status: $status, first: $first, after: $after) { totalCount edges { cursor node { id status } } pageInfo { hasNextPage endCursor } } }`;
    type Page = { totalCount: number; edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    const first = dataOf(await repeatedly('capital page 1', { query, variables: { status: 'REQUESTED', first: 1 } }))['capitalRequests'] as Page;
    expect(first).toMatchObject({ totalCount: 2, edges: [{ node: { id: solarRequest } }], pageInfo: { hasNextPage: true } });
    const next = dataOf(await repeatedly('capital page 2', { query, variables: { status: 'REQUESTED', first: 1, after: first.pageInfo.endCursor } }))['capitalRequests'] as Page;
    expect(next).toMatchObject({ totalCount: 2, edges: [{ node: { id: maizeRequest } }], pageInfo: { hasNextPage: false } });
    const byVenture = dataOf(await repeatedly('capital by venture', { query, variables: { ventureId: ids['maize'] } }))['capitalRequests'] as Page;
    expect(byVenture.edges.map((e) => e.node.id)).toEqual([maizeRequest]);
    const none = dataOf(await repeatedly('capital rejected', { query: '{ capitalRequests(status: REJECTED) { totalCount edges { node { id } } } }' }));
    expect(none).toEqual({ capitalRequests: { totalCount: 0, edges: [] } });
  });

  it('gedsiDashboard, whole and filtered, live and as of an instant', async () => {
    const fields = 'ventures metrics { metricId unit ventures average min max verifiedShare } bySector { key ventures metrics { metricId average } } byCountry { key ventures }';
    const whole = dataOf(await repeatedly('gedsi dashboard', { query: `{ gedsiDashboard { ${fields} } }` }));
    expect(whole['gedsiDashboard']).toMatchObject({ ventures: 5, metrics: [{ metricId: 'women_ownership_pct', ventures: 2, average: 50.25, min: 40.5, max: 60, verifiedShare: 0.5 }] });
    const filtered = dataOf(await repeatedly('gedsi dashboard filtered', { query: `query($filter: DashboardFilter) { gedsiDashboard(filter: $filter) { ${fields} } }`, variables: { filter: { sector: 'energy', stage: 'SERIES_A' } } }));
    expect(filtered['gedsiDashboard']).toMatchObject({ ventures: 1, metrics: [{ average: 60 }] });
    const asOf = dataOf(await repeatedly('gedsi dashboard as of', { query: `query($filter: DashboardFilter) { gedsiDashboard(filter: $filter) { ${fields} } }`, variables: { filter: { asOf: solarUpdatedAt } }, as: 'auditor' }));
    expect(asOf['gedsiDashboard']).toMatchObject({ metrics: [] });
  });

  it('capitalDashboard with and without asOf', async () => {
    const fields = 'requests byStatus { status count } totals { currency requested committed captured disbursed }';
    const live = dataOf(await repeatedly('capital dashboard', { query: `{ capitalDashboard { ${fields} } }` }));
    expect(live['capitalDashboard']).toEqual({
      requests: 2,
      byStatus: [{ status: 'REQUESTED', count: 2 }],
      totals: [{ currency: 'USD', requested: '1250.50', committed: '400.00', captured: '0.00', disbursed: '0.00' }],
    });
    const asOf = dataOf(await repeatedly('capital dashboard as of', { query: `query($asOf: DateTime) { capitalDashboard(filter: { asOf: $asOf, country: "KE" }) { ${fields} } }`, variables: { asOf: pinnedNow?.toISOString() } }));
    expect(asOf['capitalDashboard']).toMatchObject({ requests: 1, totals: [{ requested: '1000.00', committed: '400.00' }] });
  });

  it('auditTrail with filters and totalCount, and by cursor', async () => {
    const query = `query($filter: AuditFilter, $first: Int, $after: String) { auditTrail(filter: $filter, first: $first, after: $after) {
      totalCount edges { cursor node { ${AUDIT_NODE} } } pageInfo { hasNextPage endCursor } } }`;
    type Page = { totalCount: number; edges: { node: { type: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    const stream = dataOf(await repeatedly('audit by stream', { query, variables: { filter: { streamId: `venture-${ids['solar']}` }, first: 1 }, as: 'auditor' }))['auditTrail'] as Page;
    expect(stream).toMatchObject({ totalCount: 3, edges: [{ node: { type: 'VentureCreated' } }], pageInfo: { hasNextPage: true } });
    const rest = dataOf(await repeatedly('audit by stream after', { query, variables: { filter: { streamId: `venture-${ids['solar']}` }, after: stream.pageInfo.endCursor }, as: 'auditor' }))['auditTrail'] as Page;
    expect(rest.edges.map((e) => e.node.type)).toEqual(['VentureProfileUpdated', 'VentureStageChanged']);
    const typed = dataOf(await repeatedly('audit by types and actor', { query, variables: { filter: { types: ['GEDSIMetricUpdated', 'GEDSIMetricVerified'], actor: 'alice', from: solarCreatedAt } } }))['auditTrail'] as Page;
    expect(typed.totalCount).toBeGreaterThanOrEqual(2);
    const uncounted = dataOf(await repeatedly('audit no count', { query: '{ auditTrail(first: 3) { edges { node { type } } pageInfo { hasNextPage } } }', as: 'auditor' }));
    expect(uncounted['auditTrail']).toMatchObject({ pageInfo: { hasNextPage: true } });
  });

  it('projections (operator)', async () => {
    const data = dataOf(await repeatedly('projections', { query: '{ projections { name state position headPosition lag deadLetters rebuildProgress updatedAt } }', as: 'operator' }));
    expect((data['projections'] as unknown[]).length).toBeGreaterThan(0);
  });

  it('capitalRequestTimeline, found and missing', async () => {
    const query = 'query($id: ID!) { capitalRequestTimeline(id: $id) { capitalRequestId status entries { step status eventType actor at revision position data } } }';
    const found = dataOf(await repeatedly('timeline', { query, variables: { id: solarRequest } }));
    expect(found['capitalRequestTimeline']).toMatchObject({ capitalRequestId: solarRequest, status: 'REQUESTED', entries: [{ step: 'REQUESTED', actor: 'alice' }, { step: 'INVESTMENT_COMMITTED' }] });
    expect(dataOf(await repeatedly('timeline missing', { query, variables: { id: MISSING } }))).toEqual({ capitalRequestTimeline: null });
    expect(dataOf(await repeatedly('timeline not an id', { query, variables: { id: 'nope' } }))).toEqual({ capitalRequestTimeline: null });
  });

  it('gedsiVerificationTasks and sagas', async () => {
    const tasks = dataOf(await repeatedly('verification tasks', { query: `{ gedsiVerificationTasks(ventureId: "${ids['maize']}") { ventureId metricId period value reason deadline state } }` }));
    expect(Array.isArray(tasks['gedsiVerificationTasks'])).toBe(true);
    const sagas = dataOf(
      await repeatedly('sagas', { query: '{ sagas { name position headPosition lag dueTimers scheduledTimers nextTimerDueAt activeInstances deadLetters leaseHeld updatedAt } }', as: 'operator' }),
    );
    expect(Array.isArray(sagas['sagas'])).toBe(true);
  });

  it('introspection (not production: allowed)', async () => {
    const data = dataOf(await repeatedly('introspection', { query: '{ __type(name: "VentureConnection") { name kind fields { name type { kind name ofType { kind name } } } } __schema { queryType { name } } }' }));
    expect(data['__type']).toMatchObject({ name: 'VentureConnection', kind: 'OBJECT' });
  });
});

describe('query shapes', () => {
  it('aliases, on root and nested fields (totalCount included)', async () => {
    const data = dataOf(
      await repeatedly('aliases', {
        query: `{ solar: venture(id: "${ids['solar']}") { key: id label: name metrics: gedsiMetrics { m: metricId } }
          maize: venture(id: "${ids['maize']}") { key: id label: name }
          energy: ventures(filter: { sector: "energy" }) { n: totalCount count: totalCount }
          all: ventures { n: totalCount } }`,
      }),
    );
    expect(data).toEqual({
      solar: { key: ids['solar'], label: 'Solar Kiosks', metrics: [{ m: 'women_ownership_pct' }] },
      maize: { key: ids['maize'], label: 'Maize Mills' },
      energy: { n: 4, count: 4 },
      all: { n: 5 },
    });
  });

  it('named fragments, nested and spread twice', async () => {
    const data = dataOf(
      await repeatedly('named fragments', {
        query: `query Fragments { ventures(first: 2) { ...Page } again: ventures(first: 1) { ...Page } }
          fragment Page on VentureConnection { totalCount edges { node { ...V } } }
          fragment V on Venture { id name gedsiMetrics { ...M } capitalRequests { id amount { ...Money } } }
          fragment M on GEDSIMetric { metricId value }
          fragment Money on Money { amount currency }`,
      }),
    );
    expect(data['again']).toMatchObject({ totalCount: 5, edges: [{ node: { name: 'Solar Kiosks', gedsiMetrics: [{ value: 60 }], capitalRequests: [{ amount: { amount: '1000.00' } }] } }] });
  });

  it('inline fragments, with and without a type condition, and on Query', async () => {
    const data = dataOf(
      await repeatedly('inline fragments', {
        query: `{ ... on Query { viewer { subject } } ventures(first: 2) { ... on VentureConnection { totalCount } edges { node { ... on Venture { id __typename } ... { name gedsiMetrics { ... on GEDSIMetric { value } } } } } } }`,
      }),
    );
    expect(data).toMatchObject({ viewer: { subject: 'alice' }, ventures: { totalCount: 5, edges: [{ node: { __typename: 'Venture', name: 'Solar Kiosks', gedsiMetrics: [{ value: 60 }] } }, {}] } });
  });

  it('__typename at every level', async () => {
    const data = dataOf(
      await repeatedly('typename', {
        query: `{ __typename viewer { __typename } ventures(first: 1) { __typename edges { __typename node { __typename capitalRequests { __typename amount { __typename } } history(first: 1) { __typename edges { __typename } } } } pageInfo { __typename } } }`,
      }),
    );
    expect(data).toMatchObject({ __typename: 'Query', viewer: { __typename: 'Viewer' }, ventures: { __typename: 'VentureConnection', pageInfo: { __typename: 'PageInfo' } } });
  });

  it.each([
    ['count, no nodes', { withCount: true, skipNodes: true }],
    ['nodes, no count', { withCount: false, skipNodes: false }],
  ])('@include and @skip with variables: %s', async (name, variables) => {
    const answer = await repeatedly(`directives ${name}`, {
      query: `query($withCount: Boolean!, $skipNodes: Boolean!) { ventures(first: 2) { totalCount @include(if: $withCount)
        edges @skip(if: $skipNodes) { node { id gedsiMetrics @include(if: $withCount) { metricId } name @skip(if: $withCount) } } } }`,
      variables,
    });
    const ventures = dataOf(answer)['ventures'] as Record<string, unknown>;
    expect(Object.keys(ventures).sort()).toEqual(variables.withCount ? ['totalCount'] : ['edges']);
  });

  it('@include and @skip with literals and a directive on a fragment spread', async () => {
    const data = dataOf(await repeatedly('directives literal', { query: '{ viewer { subject tenant @skip(if: true) ...R @include(if: false) } } fragment R on Viewer { roles }' }));
    expect(data).toEqual({ viewer: { subject: 'alice' } });
  });

  it('several operations in one document, chosen by operationName', async () => {
    const query = 'query Mine { viewer { subject } } query Catalog { gedsiMetricCatalog { metricId } }';
    expect(dataOf(await repeatedly('operation name', { query, operationName: 'Mine' }))).toEqual({ viewer: { subject: 'alice' } });
  });

  it('variables: operation defaults, argument defaults for an absent variable, enums, nested and list coercion', async () => {
    const withDefault = dataOf(await repeatedly('variable default', { query: 'query($first: Int = 2) { ventures(first: $first) { edges { node { name } } } }' }));
    expect((withDefault['ventures'] as { edges: unknown[] }).edges).toHaveLength(2);
    // An absent variable leaves the argument to its own default (first: 20).
    const absent = dataOf(await repeatedly('variable absent', { query: 'query($first: Int, $after: String) { ventures(first: $first, after: $after) { edges { node { name } } } }', variables: {} }));
    expect((absent['ventures'] as { edges: unknown[] }).edges).toHaveLength(5);
    const inside = dataOf(await repeatedly('variables inside input', { query: 'query($stage: VentureStage, $sector: String) { ventures(filter: { stage: $stage, sector: $sector }) { totalCount } }', variables: { stage: 'IDEA' } }));
    expect(inside).toEqual({ ventures: { totalCount: 1 } });
    // A single value where a list is expected is coerced to a list of one.
    const list = dataOf(await repeatedly('variable list coercion', { query: 'query($types: [String!]) { auditTrail(filter: { types: $types }) { totalCount } }', variables: { types: 'VentureProfileUpdated' } }));
    expect(list).toEqual({ auditTrail: { totalCount: 1 } });
    // An ID variable accepts an integer (as its decimal text).
    const numericId = dataOf(await repeatedly('variable id as number', { query: 'query($id: ID!) { venture(id: $id) { id } }', variables: { id: 12345 } }));
    expect(numericId).toEqual({ venture: null });
    const dateTime = dataOf(await repeatedly('variable datetime offset', { query: 'query($asOf: DateTime!) { ventureAsOf(id: "' + ids['maize'] + '", asOf: $asOf) { name } }', variables: { asOf: '2001-01-01T02:00:00+02:00' } }));
    expect(dateTime).toEqual({ ventureAsOf: null });
    // Variables the operation does not declare are ignored.
    expect(dataOf(await repeatedly('variables undeclared', { query: '{ viewer { subject } }', variables: { unused: 'x', first: 'ten' } }))).toEqual({ viewer: { subject: 'alice' } });
  });
});

/** Variable values the operation's types refuse: refused before execution (400). */
const BAD_VARIABLES: [string, string, Record<string, unknown>][] = [
  ['a string for an Int', 'query($first: Int) { ventures(first: $first) { totalCount } }', { first: 'ten' }],
  ['a float for an Int', 'query($first: Int) { ventures(first: $first) { totalCount } }', { first: 2.5 }],
  ['a number for a String', 'query($after: String) { ventures(after: $after) { totalCount } }', { after: 5 }],
  ['an unknown enum value', 'query($status: CapitalRequestStatus) { capitalRequests(status: $status) { totalCount } }', { status: 'LOST' }],
  ['a DateTime without a time zone', 'query($asOf: DateTime!) { ventureAsOf(id: "x", asOf: $asOf) { id } }', { asOf: '2026-01-01T00:00:00' }],
  ['a missing required variable', 'query($id: ID!) { venture(id: $id) { id } }', {}],
  ['null for a required variable', 'query($id: ID!) { venture(id: $id) { id } }', { id: null }],
  ['an unknown input field', 'query($filter: VentureFilter) { ventures(filter: $filter) { totalCount } }', { filter: { sector: 'energy', valuation: 3 } }],
  ['a list for an input object', 'query($filter: AuditFilter) { auditTrail(filter: $filter) { totalCount } }', { filter: [1] }],
];

describe('errors, answered the same interpreted and compiled', () => {
  it.each(BAD_VARIABLES)('a variable of the wrong type: %s', async (name, query, variables) => {
    // Mercurius checks variables with graphql-js before executing (and before queueing a compilation): every
    // run is refused before any query runs, so none is compiled.
    const answer = await repeatedly(`bad variable ${name}`, { query, variables, compiles: false });
    expect(answer.status).toBe(400);
    expect(answer.body.data ?? null).toBeNull();
    expect(errorsOf(answer)[0]).toMatch(/^BAD_USER_INPUT /);
  });

  // Non-null root fields that fail null the whole data; nullable ones (venture, ventureAsOf) are null themselves.
  it.each([
    ['an invalid cursor', '{ ventures(after: "not-a-cursor") { totalCount } }', null, ['BAD_USER_INPUT after ventures']],
    ['an invalid capital cursor', '{ capitalRequests(after: "bm9wZQ") { totalCount } }', null, ['BAD_USER_INPUT after capitalRequests']],
    ['an invalid audit cursor', '{ auditTrail(after: "bm9wZQ") { totalCount } }', null, ['BAD_USER_INPUT after auditTrail']],
    ['first: 1000', '{ ventures(first: 1000) { totalCount } }', null, ['BAD_USER_INPUT first ventures']],
    ['first: 0', `{ venture(id: "${MISSING}") { history(first: 0) { totalCount } } capitalRequests(first: 0) { totalCount } }`, null, ['BAD_USER_INPUT first capitalRequests']],
    ['a dashboard as of the future', '{ gedsiDashboard(filter: { asOf: "2999-01-01T00:00:00Z" }) { ventures } }', null, ['BAD_USER_INPUT asOf gedsiDashboard']],
    ['a venture as of the future', `{ ventureAsOf(id: "${MISSING}", asOf: "2999-01-01T00:00:00Z") { id } }`, { ventureAsOf: null }, ['BAD_USER_INPUT asOf ventureAsOf']],
    ['a malformed id', '{ venture(id: "not an id!") { id } }', { venture: null }, ['BAD_USER_INPUT id venture']],
    ['a malformed ventureId', '{ capitalRequests(ventureId: "a/b") { totalCount } }', null, ['BAD_USER_INPUT ventureId capitalRequests']],
    ['an audit range from after to', '{ auditTrail(filter: { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { totalCount } }', null, ['BAD_USER_INPUT from auditTrail']],
    ['an empty search text', '{ searchVentures(text: "  ") { totalCount } }', null, ['BAD_USER_INPUT text searchVentures']],
  ])('BAD_USER_INPUT: %s', async (name, query, data, expected) => {
    const answer = await repeatedly(`bad input ${name}`, { query });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual(data);
    expect(errorsOf(answer)).toEqual(expected);
  });

  it('BAD_USER_INPUT: a malformed X-Read-After header', async () => {
    const answer = await repeatedly('bad read after', { query: '{ ventures { totalCount } }', headers: { 'x-read-after': 'yesterday' } });
    expect(errorsOf(answer)).toEqual(['BAD_USER_INPUT X-Read-After ventures']);
  });

  it('FORBIDDEN: a founder asking for the audit trail, projections, sagas and a dashboard as of an instant', async () => {
    const trail = await repeatedly('forbidden audit', { query: '{ auditTrail { totalCount edges { node { type } } } }', as: 'founder' });
    expect(errorsOf(trail)).toEqual(['FORBIDDEN - auditTrail']);
    expect(trail.body.data ?? null).toBeNull();
    // Two non-null root fields refused: the first failure nulls the data (graphql-js reports that one only).
    const ops = await repeatedly('forbidden ops', { query: '{ projections { name } sagas { name } }', as: 'founder' });
    expect(ops.body.data ?? null).toBeNull();
    expect(errorsOf(ops)).toEqual([expect.stringMatching(/^FORBIDDEN - (projections|sagas)$/)]);
    const asOf = await repeatedly('forbidden as of', { query: `{ capitalDashboard(filter: { asOf: "${solarCreatedAt}" }) { requests } }`, as: 'founder' });
    expect(errorsOf(asOf)).toEqual(['FORBIDDEN - capitalDashboard']);
  });

  it('FORBIDDEN on a nested field: a nullable venture becomes null, a non-null list nulls the whole data', async () => {
    const one = await repeatedly('forbidden history nullable', { query: `{ viewer { subject } venture(id: "${ids['solar']}") { id history { totalCount } } }`, as: 'founder' });
    expect(one.status).toBe(200);
    expect(one.body.data).toEqual({ viewer: { subject: 'fran' }, venture: null });
    expect(errorsOf(one)).toEqual(['FORBIDDEN - venture.history']);
    const many = await repeatedly('forbidden history in list', { query: '{ viewer { subject } ventures(first: 2) { edges { node { id history { totalCount } } } } }', as: 'founder' });
    expect(many.status).toBe(200);
    expect(many.body.data ?? null).toBeNull();
    expect(errorsOf(many)[0]).toBe('FORBIDDEN - ventures.edges.0.node.history');
  });

  it('UNAUTHENTICATED: no token, and a token that is not one', async () => {
    const none = await repeatedly('no token', { query: '{ ventures { totalCount } }', as: 'anonymous' });
    expect(errorsOf(none)).toEqual(['UNAUTHENTICATED - ventures']);
    const forged = await repeatedly('forged token', { query: '{ viewer { subject } gedsiMetricCatalog { metricId } }', as: 'forged' });
    expect(errorsOf(forged)).toEqual([expect.stringMatching(/^UNAUTHENTICATED - (viewer|gedsiMetricCatalog)$/)]);
    expect(forged.body.data ?? null).toBeNull();
  });

  it('INTERNAL: a store failure, answered generically', async () => {
    const answer = await repeatedly('internal', { query: `{ capitalRequestTimeline(id: "${CURSED}") { status } }` });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      data: { capitalRequestTimeline: null },
      errors: [{ message: expect.stringMatching(/^internal error/), locations: expect.any(Array), path: ['capitalRequestTimeline'], extensions: { code: 'INTERNAL' } }],
    });
    expect(JSON.stringify(answer.body)).not.toContain('disk on fire');
  });

  it('partial data: good root fields beside failing ones', async () => {
    const internal = await repeatedly('partial internal', { query: `{ viewer { subject } timeline: capitalRequestTimeline(id: "${CURSED}") { status } asOf: ventureAsOf(id: "${CURSED}", asOf: "2020-01-01T00:00:00Z") { id } }` });
    expect(internal.body.data).toEqual({ viewer: { subject: 'alice' }, timeline: null, asOf: null });
    expect(errorsOf(internal).sort()).toEqual(['INTERNAL - asOf', 'INTERNAL - timeline']);
    const badInput = await repeatedly('partial bad input', { query: `{ gedsiMetricCatalog { metricId } venture(id: "not an id!") { id } capitalRequest(id: "${maizeRequest}") { id } }` });
    expect(badInput.body.data).toMatchObject({ venture: null, capitalRequest: { id: maizeRequest } });
    expect(errorsOf(badInput)).toEqual(['BAD_USER_INPUT id venture']);
    // A non-null root field that fails nulls the whole data, the good fields with it.
    const nonNull = await repeatedly('partial non-null', { query: '{ viewer { subject } ventures(first: 1000) { totalCount } }' });
    expect(nonNull.status).toBe(200);
    expect(nonNull.body.data ?? null).toBeNull();
    expect(errorsOf(nonNull)).toEqual(['BAD_USER_INPUT first ventures']);
  });

  it('documents refused before execution (never compiled): syntax, unknown field, wrong literal type, depth', async () => {
    const never = false;
    const syntax = await repeatedly('syntax error', { query: '{ ventures(first: ', compiles: never });
    expect(syntax.status).toBe(400);
    expect(errorsOf(syntax)).toEqual(['GRAPHQL_PARSE_FAILED - -']);
    const unknown = await repeatedly('unknown field', { query: '{ ventures { edges { node { valuation } } } }', compiles: never });
    expect(errorsOf(unknown)).toEqual(['GRAPHQL_VALIDATION_FAILED - -']);
    const literal = await repeatedly('wrong literal', { query: '{ ventures(first: "ten", filter: { stage: LOST }) { totalCount } }', compiles: never });
    expect(literal.status).toBe(400);
    expect(errorsOf(literal)).toEqual(['GRAPHQL_VALIDATION_FAILED - -', 'GRAPHQL_VALIDATION_FAILED - -']);
    // A literal the DateTime scalar refuses is an invalid document too (it was INTERNAL, status 500).
    const datetime = await repeatedly('wrong datetime literal', { query: '{ ventureAsOf(id: "x", asOf: "yesterday") { id } }', compiles: never });
    expect(datetime.status).toBe(400);
    expect(errorsOf(datetime)).toEqual(['GRAPHQL_VALIDATION_FAILED - -']);
    expect(datetime.body.errors?.[0]?.message).toContain('DateTime must be an ISO-8601 instant with a time zone');
    const deep = await repeatedly('too deep', { query: `{ __schema { types { fields { type ${'{ ofType '.repeat(10)}{ name }${' }'.repeat(10)} } } } }`, compiles: never });
    expect(deep.status).toBe(400);
    expect(errorsOf(deep)[0]).toBe('GRAPHQL_VALIDATION_FAILED - -');
  });
});
