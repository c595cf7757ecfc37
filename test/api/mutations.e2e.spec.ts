import { randomUUID } from 'node:crypto';
import { startTestApi, type GraphQLResponse, type TestApi } from '../../src/app/testing/api-harness';
import { startProjector } from '../../src/projections/projector';
import { silentLogger } from '../../src/projections/testing/support';
import type { EventStore } from '../../src/write-model/event-store/event-store.port';
import { mutations } from '../support/graphql-mutations';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(120_000);

const NOW = new Date('2026-11-20T12:00:00.000Z');
const { CREATE, UPDATE, RECORD, VERIFY, REQUEST, COMMIT, CAPTURE } = mutations('aggregateId streamId revision position eventTypes');
/** Any read of this venture's stream fails like a broken disk would. */
const CURSED_VENTURE = '00000000-0000-4000-8000-00000000dead';

let db: TestDatabase;
let api: TestApi;
let alice: Record<string, string>;
let bob: Record<string, string>;

const venture = (overrides: Record<string, unknown> = {}) => ({ name: `Venture ${randomUUID()}`, sector: 'agriculture', country: 'KE', stage: 'SEED', ...overrides });

async function ok(response: Promise<GraphQLResponse>): Promise<Record<string, unknown>> {
  const { data, errors, raw } = await response;
  if (errors.length > 0 || data === null) throw new Error(`expected success, got ${raw}`);
  const [result] = Object.values(data);
  return result as Record<string, unknown>;
}

async function createVenture(headers = alice, overrides: Record<string, unknown> = {}): Promise<string> {
  const result = await ok(api.graphql(CREATE, { input: venture(overrides) }, headers));
  return String(result['aggregateId']);
}

beforeAll(async () => {
  db = await createTestDatabase('e2e_mutations');
  const cursed = (store: EventStore): EventStore =>
    new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'readStream') return Reflect.get(target, property, receiver) as unknown;
        return (streamId: string, ...rest: []) => {
          if (streamId.includes(CURSED_VENTURE)) return Promise.reject(new Error('disk on fire at /var/lib/secret'));
          return target.readStream(streamId, ...rest);
        };
      },
    });
  api = await startTestApi({ databaseUrl: db.url, clock: { now: () => NOW }, wrapStore: cursed });
  alice = { authorization: `Bearer ${await api.token({ sub: 'alice', tenant: 'acme', roles: ['admin'] })}` };
  bob = { authorization: `Bearer ${await api.token({ sub: 'bob', tenant: 'globex', roles: ['admin'] })}` };
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
});

describe('every mutation end to end', () => {
  it('creates, updates, records and verifies a metric, requests capital, commits and captures', async () => {
    const created = await ok(api.graphql(CREATE, { input: venture({ description: 'maize' }) }, alice));
    const ventureId = String(created['aggregateId']);
    expect(created).toEqual({ aggregateId: ventureId, streamId: `venture-${ventureId}`, revision: 0, position: expect.any(String), eventTypes: ['VentureCreated'] });

    const updated = await ok(api.graphql(UPDATE, { input: { ventureId, name: 'Renamed Farms', stage: 'GROWTH', expectedRevision: 0 } }, alice));
    expect(updated).toMatchObject({ revision: 2, eventTypes: ['VentureProfileUpdated', 'VentureStageChanged'] });

    const metric = { ventureId, metricId: 'women_ownership_pct', period: '2026-Q1' };
    expect(await ok(api.graphql(RECORD, { input: { ...metric, value: 51 } }, alice))).toMatchObject({ streamId: `gedsi-${ventureId}`, revision: 0, eventTypes: ['GEDSIMetricUpdated'] });
    expect(await ok(api.graphql(VERIFY, { input: metric }, alice))).toMatchObject({ revision: 1, eventTypes: ['GEDSIMetricVerified'] });

    const requested = await ok(api.graphql(REQUEST, { input: { ventureId, amount: '1000.00', currency: 'USD', instrument: 'GRANT', purpose: 'irrigation' } }, alice));
    const capitalRequestId = String(requested['aggregateId']);
    expect(requested).toMatchObject({ streamId: `capital-${capitalRequestId}`, revision: 0, eventTypes: ['CapitalRequested'] });
    const money = { capitalRequestId, amount: '400.00', currency: 'USD' };
    expect(await ok(api.graphql(COMMIT, { input: { ...money, investorId: randomUUID() } }, alice))).toMatchObject({ revision: 1, eventTypes: ['InvestmentCommitted'] });
    expect(await ok(api.graphql(CAPTURE, { input: { ...money, paymentId: randomUUID() } }, alice))).toMatchObject({ revision: 2, eventTypes: ['PaymentCaptured'] });
  });

  it('stores commandId, correlationId, causationId, actor and tenant on every event', async () => {
    const commandId = randomUUID();
    const result = await ok(api.graphql(CREATE, { input: { ...venture(), commandId } }, { ...alice, 'x-correlation-id': 'corr-42' }));
    const [event] = await api.store.readStream(String(result['streamId']));
    expect(event?.metadata).toMatchObject({ commandId, correlationId: 'corr-42', causationId: commandId, actor: 'alice', tenant: 'acme' });
  });

  it('frees the old name after a rename', async () => {
    const ventureId = await createVenture(alice, { name: 'Old Name Ltd' });
    await ok(api.graphql(UPDATE, { input: { ventureId, name: 'New Name Ltd' } }, alice));
    await expect(createVenture(alice, { name: 'old name ltd' })).resolves.toEqual(expect.any(String));
    const clash = await api.graphql(CREATE, { input: venture({ name: 'NEW NAME LTD' }) }, alice);
    expect(clash.errors[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'name' });
  });
});

describe('bad input changes nothing and says precisely what is wrong', () => {
  let ventureId: string;
  let capitalRequestId: string;
  let bobsVenture: string;

  beforeAll(async () => {
    ventureId = await createVenture();
    bobsVenture = await createVenture(bob);
    const requested = await ok(api.graphql(REQUEST, { input: { ventureId, amount: '100', currency: 'USD', instrument: 'DEBT', purpose: 'stock' } }, alice));
    capitalRequestId = String(requested['aggregateId']);
  });

  const capital = (overrides: Record<string, unknown>) => ({ input: { ventureId, amount: '10.00', currency: 'USD', instrument: 'EQUITY', purpose: 'p', ...overrides } });
  const cases: [string, () => [string, Record<string, unknown>], string, string | undefined][] = [
    ['an oversized name', () => [CREATE, { input: venture({ name: 'x'.repeat(201) }) }], 'BAD_USER_INPUT', 'name'],
    ['a blank name', () => [CREATE, { input: venture({ name: '   ' }) }], 'BAD_USER_INPUT', 'name'],
    ['country "XX"', () => [CREATE, { input: venture({ country: 'XX' }) }], 'BAD_USER_INPUT', 'country'],
    ['odd characters in a client id', () => [CREATE, { input: venture({ id: 'a b/../venture-x' }) }], 'BAD_USER_INPUT', 'id'],
    ['an unknown metric id', () => [RECORD, { input: { ventureId, metricId: 'no_such_metric', value: 1, period: '2026-Q1' } }], 'BAD_USER_INPUT', 'metricId'],
    ['a value out of range', () => [RECORD, { input: { ventureId, metricId: 'women_ownership_pct', value: 101, period: '2026-Q1' } }], 'BAD_USER_INPUT', 'value'],
    ['a malformed period', () => [RECORD, { input: { ventureId, metricId: 'women_ownership_pct', value: 1, period: 'Q1-2026' } }], 'BAD_USER_INPUT', 'period'],
    ['an unknown venture id', () => [RECORD, { input: { ventureId: randomUUID(), metricId: 'women_ownership_pct', value: 1, period: '2026-Q1' } }], 'NOT_FOUND', 'ventureId'],
    ["another tenant's venture", () => [RECORD, { input: { ventureId: bobsVenture, metricId: 'women_ownership_pct', value: 1, period: '2026-Q1' } }], 'NOT_FOUND', 'ventureId'],
    ['odd stream characters in a venture id', () => [VERIFY, { input: { ventureId: 'x-1:2/..', metricId: 'women_ownership_pct', period: '2026-Q1' } }], 'BAD_USER_INPUT', 'ventureId'],
    ['a verification of nothing recorded', () => [VERIFY, { input: { ventureId, metricId: 'women_ownership_pct', period: '2025' } }], 'NOT_FOUND', undefined],
    ['amount "1,5"', () => [REQUEST, capital({ amount: '1,5' })], 'BAD_USER_INPUT', 'amount'],
    ['a zero amount', () => [REQUEST, capital({ amount: '0' })], 'BAD_USER_INPUT', 'amount'],
    ['currency "usd"', () => [REQUEST, capital({ currency: 'usd' })], 'BAD_USER_INPUT', 'currency'],
    ['capital for an unknown venture', () => [REQUEST, capital({ ventureId: randomUUID() })], 'NOT_FOUND', 'ventureId'],
    ['capital for a malformed request id', () => [REQUEST, capital({ id: 'capital-../../x' })], 'BAD_USER_INPUT', 'id'],
    ['a commitment to an unknown request', () => [COMMIT, { input: { capitalRequestId: randomUUID(), investorId: randomUUID(), amount: '1', currency: 'USD' } }], 'NOT_FOUND', 'capitalRequestId'],
    ['a commitment above the request', () => [COMMIT, { input: { capitalRequestId, investorId: randomUUID(), amount: '100.01', currency: 'USD' } }], 'BAD_USER_INPUT', 'amount'],
    ['a commitment in another currency', () => [COMMIT, { input: { capitalRequestId, investorId: randomUUID(), amount: '1', currency: 'EUR' } }], 'BAD_USER_INPUT', 'currency'],
    ['a capture above the commitments', () => [CAPTURE, { input: { capitalRequestId, paymentId: randomUUID(), amount: '1', currency: 'USD' } }], 'BAD_USER_INPUT', 'amount'],
    ['a wrong type in a variable', () => [RECORD, { input: { ventureId, metricId: 'women_ownership_pct', value: 'high', period: '2026-Q1' } }], 'BAD_USER_INPUT', 'value'],
    ['an unknown enum value', () => [CREATE, { input: venture({ stage: 'UNICORN' }) }], 'BAD_USER_INPUT', 'stage'],
    ['an unknown input field', () => [CREATE, { input: venture({ valuation: 1 }) }], 'BAD_USER_INPUT', 'valuation'],
    ['a missing required field', () => [CREATE, { input: { name: 'n', sector: 's', country: 'KE' } }], 'BAD_USER_INPUT', 'stage'],
    ['an oversized commandId', () => [CREATE, { input: venture({ commandId: 'c'.repeat(101) }) }], 'BAD_USER_INPUT', 'commandId'],
  ];

  it.each(cases)('refuses %s', async (_name, build, code, field) => {
    const before = await api.eventCount();
    const [query, variables] = build();
    const { errors, data } = await api.graphql(query, variables, alice);
    expect(data === null || Object.values(data).every((v) => v === null)).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.extensions).toEqual(field === undefined ? { code } : { code, field });
    expect(await api.eventCount()).toBe(before);
  });

  it('refuses a wrong type written in the query itself as a validation error', async () => {
    const { status, errors } = await api.graphql(`mutation { recordGEDSIMetric(input: { ventureId: "${ventureId}", metricId: "m", value: "high", period: "2026" }) { revision } }`, {}, alice);
    expect(status).toBe(400);
    expect(errors[0]).toMatchObject({ message: expect.stringContaining('Float cannot represent'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('refuses a body over 1 MiB', async () => {
    const before = await api.eventCount();
    const { status, errors } = await api.graphql(CREATE, { input: venture({ description: 'x'.repeat(1_100_000) }) }, alice);
    expect(status).toBe(413);
    expect(errors[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(await api.eventCount()).toBe(before);
  });

  it('answers UNAUTHENTICATED without a valid token, and changes nothing', async () => {
    const before = await api.eventCount();
    const expired = `Bearer ${await api.token({ sub: 'alice', tenant: 'acme', roles: [] }, -60)}`;
    const forged = `${String(alice['authorization']).slice(0, -4)}AAAA`;
    for (const authorization of [undefined, 'Bearer nonsense', expired, forged, 'Basic YTpi']) {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      const { errors } = await api.graphql(CREATE, { input: venture() }, headers);
      expect(errors.map((e) => e.extensions)).toEqual([{ code: 'UNAUTHENTICATED' }]);
    }
    expect(await api.eventCount()).toBe(before);
  });

  it('answers an unexpected failure with INTERNAL and a generic message, logged with the correlation id', async () => {
    const { errors, raw } = await api.graphql(RECORD, { input: { ventureId: CURSED_VENTURE, metricId: 'women_ownership_pct', value: 1, period: '2026' } }, { ...alice, 'x-correlation-id': 'corr-cursed' });
    expect(errors.map((e) => e.extensions)).toEqual([{ code: 'INTERNAL' }]);
    expect(raw).not.toMatch(/disk on fire|secret|stack|at \//);
    expect(api.logs).toContainEqual(expect.objectContaining({ level: 'error', correlationId: 'corr-cursed', err: expect.objectContaining({ message: expect.stringContaining('disk on fire') }) }));
  });
});

describe('idempotency and concurrency', () => {
  it('returns the first result for a repeated commandId and appends nothing', async () => {
    const input = { ...venture(), commandId: `retry-${randomUUID()}` };
    const first = await ok(api.graphql(CREATE, { input }, alice));
    const before = await api.eventCount();
    const second = await ok(api.graphql(CREATE, { input }, alice));
    expect(second).toEqual(first);
    expect(await api.eventCount()).toBe(before);

    const record = { ventureId: String(first['aggregateId']), metricId: 'women_workforce_pct', value: 40, period: '2026-H1', commandId: randomUUID() };
    const recorded = await ok(api.graphql(RECORD, { input: record }, alice));
    await ok(api.graphql(RECORD, { input: { ...record, value: 41, commandId: randomUUID() } }, alice));
    const afterChange = await api.eventCount();
    expect(await ok(api.graphql(RECORD, { input: record }, alice))).toEqual(recorded);
    expect(await api.eventCount()).toBe(afterChange);
  });

  it('scopes commandIds to the tenant', async () => {
    const commandId = `shared-${randomUUID()}`;
    const mine = await ok(api.graphql(CREATE, { input: { ...venture(), commandId } }, alice));
    const theirs = await ok(api.graphql(CREATE, { input: { ...venture(), commandId } }, bob));
    expect(theirs['aggregateId']).not.toEqual(mine['aggregateId']);
  });

  it('answers a stale expectedRevision with CONFLICT and appends nothing', async () => {
    const ventureId = await createVenture();
    await ok(api.graphql(UPDATE, { input: { ventureId, sector: 'energy', expectedRevision: 0 } }, alice));
    const before = await api.eventCount();
    const stale = await api.graphql(UPDATE, { input: { ventureId, name: `Stale ${randomUUID()}`, expectedRevision: 0 } }, alice);
    expect(stale.errors.map((e) => e.extensions?.code)).toEqual(['CONFLICT']);
    expect(await api.eventCount()).toBe(before);
  });

  it('lets exactly one of two concurrent creates with the same name win, per tenant', async () => {
    const name = `Race ${randomUUID()}`;
    const results = await Promise.all([
      api.graphql(CREATE, { input: venture({ name }) }, alice),
      api.graphql(CREATE, { input: venture({ name: name.toUpperCase() }) }, alice),
    ]);
    const codes = results.map((r) => (r.errors.length === 0 ? 'OK' : r.errors[0]?.extensions?.code)).sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    await expect(createVenture(bob, { name })).resolves.toEqual(expect.any(String));
  });
});

describe('queries and the rest of the API', () => {
  it('serves the GEDSI metric catalog', async () => {
    const { data } = await api.graphql('{ gedsiMetricCatalog { metricId name unit min max } }', {}, alice);
    expect(data?.['gedsiMetricCatalog']).toEqual(expect.arrayContaining([expect.objectContaining({ metricId: 'women_ownership_pct', unit: 'percent', min: 0, max: 100 })]));
  });

  it('answers the read-model queries from the projections (no longer NOT_IMPLEMENTED)', async () => {
    const projector = await startProjector({ databaseUrl: db.url, logger: silentLogger(), runtime: { tickMs: 50 } });
    try {
      const created = await ok(api.graphql(CREATE, { input: venture({ name: 'Read Back Farms', sector: 'readback' }) }, alice));
      const ventureId = String(created['aggregateId']);
      const readAfter = { ...alice, 'x-read-after': String(created['position']) };
      const { data, errors } = await api.graphql(
        `{ venture(id: "${ventureId}") { id name sector } ventures(filter: { sector: "readback" }) { totalCount edges { node { id } } }
           capitalRequests(ventureId: "${ventureId}") { totalCount } capitalDashboard(filter: { sector: "readback" }) { requests } }`,
        {},
        readAfter,
      );
      expect(errors).toEqual([]);
      expect(data).toEqual({
        venture: { id: ventureId, name: 'Read Back Farms', sector: 'readback' },
        ventures: { totalCount: 1, edges: [{ node: { id: ventureId } }] },
        capitalRequests: { totalCount: 0 },
        capitalDashboard: { requests: 0 },
      });
      const missing = await api.graphql(`{ venture(id: "${randomUUID()}") { id } }`, {}, alice);
      expect(missing).toMatchObject({ errors: [], data: { venture: null } });
    } finally {
      await projector.stop();
    }
  });

  it('asks for a rebuild and answers the projection status; an unknown projection is bad input', async () => {
    const { data } = await api.graphql('mutation { rebuildProjection(name: "ventures") { name } }', {}, alice);
    expect(data).toEqual({ rebuildProjection: { name: 'ventures' } });
    const unknown = await api.graphql('mutation { rebuildProjection(name: "nope") { name } }', {}, alice);
    expect(unknown.errors[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
  });

  it('logged errors only for the unexpected failure, never for refused input', () => {
    const errors = api.logs.filter((line) => line['level'] === 'error' || line['level'] === 'fatal');
    expect(errors.map((line) => line['correlationId'])).toEqual(['corr-cursed']);
  });

  it('is healthy, ready and exposes metrics that move with commands', async () => {
    const health = await api.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok', role: 'api' });
    const ready = await api.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'ready', role: 'api' });
    const metrics = await api.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/gedsi_commands_total\{type="CreateVenture",outcome="ok"\} [1-9]/);
    expect(metrics.body).toMatch(/gedsi_graphql_operation_duration_seconds_count\{operation="[^"]+",type="mutation"\} [1-9]/);
  });
});
