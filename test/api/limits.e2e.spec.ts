import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startTestApi, type TestApi } from '../../src/app/testing/api-harness';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(120_000);

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('e2e_limits');
});

afterAll(async () => {
  await db?.drop();
});

async function withApi(options: Parameters<typeof startTestApi>[0]['read'], body: (api: TestApi) => Promise<void>): Promise<void> {
  const api = await startTestApi({ databaseUrl: db.url, ...(options !== undefined && { read: options }) });
  try {
    await body(api);
  } finally {
    await api.close();
  }
}

const bearer = async (api: TestApi, sub: string, roles = ['admin'], tenant = 'acme') => ({ authorization: `Bearer ${await api.token({ sub, tenant, roles })}` });

describe('per-subject rate limits in Redis', () => {
  it('answers RATE_LIMITED with the retry time once a subject used its window, counting other subjects apart', async () => {
    await withApi({ redisUrl: REDIS_URL, rateLimit: { points: 3, windowSeconds: 30 } }, async (api) => {
      const carol = await bearer(api, `carol-${randomUUID()}`);
      for (let i = 0; i < 3; i++) expect((await api.graphql('{ viewer { subject } }', {}, carol)).errors).toEqual([]);
      const refused = await api.graphql('{ viewer { subject } }', {}, carol);
      expect(refused.errors).toHaveLength(1);
      expect(refused.errors[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
      const retryAfter = Number((refused.errors[0]?.extensions as { retryAfterSeconds?: number }).retryAfterSeconds);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(30);
      const dave = await bearer(api, `dave-${randomUUID()}`);
      expect((await api.graphql('{ viewer { subject } }', {}, dave)).errors).toEqual([]);
    });
  });

  it('shares the count between API replicas through Redis', async () => {
    const sub = `erin-${randomUUID()}`;
    await withApi({ redisUrl: REDIS_URL, rateLimit: { points: 2, windowSeconds: 30 } }, async (one) => {
      await withApi({ redisUrl: REDIS_URL, rateLimit: { points: 2, windowSeconds: 30 } }, async (two) => {
        const headers = await bearer(one, sub);
        expect((await one.graphql('{ viewer { subject } }', {}, headers)).errors).toEqual([]);
        expect((await two.graphql('{ viewer { subject } }', {}, headers)).errors).toEqual([]);
        expect((await one.graphql('{ viewer { subject } }', {}, headers)).errors[0]?.extensions?.code).toBe('RATE_LIMITED');
      });
    });
    const redis = new Redis(REDIS_URL);
    try {
      expect(Number(await redis.get(`ratelimit:acme:${sub}`))).toBe(3);
    } finally {
      redis.disconnect();
    }
  });

  it('counts a request with several root fields once', async () => {
    await withApi({ rateLimit: { points: 1, windowSeconds: 30 } }, async (api) => {
      const response = await api.graphql('{ viewer { subject } gedsiMetricCatalog { metricId } }', {}, await bearer(api, 'frank'));
      expect(response.errors).toEqual([]);
    });
  });
});

describe('query shape limits and bad input', () => {
  let api: TestApi;
  let admin: Record<string, string>;

  beforeAll(async () => {
    api = await startTestApi({ databaseUrl: db.url, read: { rateLimit: { points: 100_000, windowSeconds: 60 } } });
    admin = await bearer(api, 'grace');
  });

  afterAll(async () => {
    await api?.close();
  });

  it('refuses a query nested deeper than the limit before running it', async () => {
    const deep = `{ __schema { types { fields { type ${'{ ofType '.repeat(10)}{ name }${' }'.repeat(10)} } } } }`;
    const response = await api.graphql(deep, {}, admin);
    expect(response.status).toBe(400);
    expect(response.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors[0]?.message).toMatch(/depth/);
  });

  it('refuses a query whose worst case costs more than the limit, and serves a large but bounded one', async () => {
    const costly = await api.graphql('{ ventures(first: 100) { edges { node { history(first: 100) { edges { node { eventId } } } } } } }', {}, admin);
    expect(costly.status).toBe(400);
    expect(costly.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(costly.errors[0]?.message).toMatch(/query cost \d+ exceeds the limit of 5000/);
    const bounded = await api.graphql('{ auditTrail(first: 100) { edges { node { eventId data metadata } } } }', {}, admin);
    expect(bounded.errors).toEqual([]);
  });

  it('refuses unknown fields, malformed queries and oversized bodies precisely, without stack traces', async () => {
    const unknown = await api.graphql('{ ventures { edges { node { valuation } } } }', {}, admin);
    expect(unknown.errors[0]).toMatchObject({ message: 'Cannot query field "valuation" on type "Venture".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const malformed = await api.graphql('{ ventures(first: ', {}, admin);
    expect(malformed.errors[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const huge = await api.graphql('query($f: VentureFilter) { ventures(filter: $f) { totalCount } }', { f: { nameContains: 'x'.repeat(1_100_000) } }, admin);
    expect(huge.status).toBe(413);
    expect(huge.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const response of [unknown, malformed, huge]) expect(response.raw).not.toMatch(/\.(ts|js):\d+/);
  });

  it.each([
    ['first over 100', '{ ventures(first: 101) { totalCount } }', 'first'],
    ['first 0', '{ capitalRequests(first: 0) { totalCount } }', 'first'],
    ['a name filter over 200 characters', `{ ventures(filter: { nameContains: "${'n'.repeat(201)}" }) { totalCount } }`, 'nameContains'],
    ['a dashboard as of the future', `{ gedsiDashboard(filter: { asOf: "2999-01-01T00:00:00Z" }) { ventures } }`, 'asOf'],
    ['an unknown status', '{ capitalRequests(status: LOST) { totalCount } }', undefined],
  ])('refuses %s', async (_name, query, field) => {
    const response = await api.graphql(query, {}, admin);
    expect(response.data === null || Object.values(response.data).every((v) => v === null)).toBe(true);
    const [error] = response.errors;
    if (field === undefined) expect(error?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    else expect(error?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses a malformed X-Read-After header', async () => {
    const response = await api.graphql('{ viewer { subject } }', {}, { ...admin, 'x-read-after': 'yesterday' });
    expect(response.errors[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'X-Read-After' });
  });

  it('answers STALE_READ when the read models do not reach the position in time', async () => {
    await withApi({ readAfterTimeoutMs: 200 }, async (fast) => {
      const headers = { ...(await bearer(fast, 'heidi')), 'x-read-after': '999999999' };
      const response = await fast.graphql('{ capitalRequests { totalCount } }', {}, headers);
      expect(response.errors[0]?.extensions).toEqual({ code: 'STALE_READ', field: 'X-Read-After' });
      expect(response.errors[0]?.message).toMatch(/capital had not processed position 999999999/);
    });
  });

  it('does not wait for reads from the log itself (audit trail, time travel)', async () => {
    const headers = { ...admin, 'x-read-after': '999999999' };
    const response = await api.graphql('{ auditTrail(first: 1) { totalCount } }', {}, headers);
    expect(response.errors).toEqual([]);
  });

  it('serves introspection and GraphiQL outside production', async () => {
    const response = await api.graphql('{ __schema { queryType { name } } }', {}, admin);
    expect(response.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect((await api.app.inject({ method: 'GET', url: '/graphiql' })).statusCode).toBe(200);
  });
});

describe('production mode', () => {
  it('turns introspection and GraphiQL off', async () => {
    await withApi({ production: true }, async (api) => {
      const response = await api.graphql('{ __schema { queryType { name } } }', {}, await bearer(api, 'ivan'));
      expect(response.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(response.errors[0]?.message).toMatch(/introspection/i);
      expect((await api.app.inject({ method: 'GET', url: '/graphiql' })).statusCode).toBe(404);
    });
  });
});
