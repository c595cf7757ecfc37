import { randomUUID } from 'node:crypto';
import { startTestApi, type TestApi } from '../../src/app/testing/api-harness';
import { ACCESS, ROLES, type Operation, type Role } from '../../src/read-api/access/roles';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(120_000);

const PAST = '2020-01-01T00:00:00Z';
const missing = '00000000-0000-4000-8000-000000000001';

/** One small document per root field; inputs point at nothing, so allowed callers fail later (NOT_FOUND...), never FORBIDDEN. */
const DOCUMENTS: Record<Operation, string> = {
  'Query.viewer': '{ viewer { subject } }',
  'Query.gedsiMetricCatalog': '{ gedsiMetricCatalog { metricId } }',
  'Query.venture': `{ venture(id: "${missing}") { id } }`,
  'Query.ventures': '{ ventures(first: 1) { totalCount } }',
  'Query.searchVentures': '{ searchVentures(text: "solar", first: 1) { totalCount } }',
  'Query.ventureAsOf': `{ ventureAsOf(id: "${missing}", asOf: "${PAST}") { id } }`,
  'Query.capitalRequest': `{ capitalRequest(id: "${missing}") { id } }`,
  'Query.capitalRequests': '{ capitalRequests(first: 1) { totalCount } }',
  'Query.gedsiDashboard': '{ gedsiDashboard { ventures } }',
  'Query.capitalDashboard': '{ capitalDashboard { requests } }',
  'Query.auditTrail': '{ auditTrail(first: 1) { pageInfo { hasNextPage } } }',
  'Query.projections': '{ projections { name } }',
  'Mutation.createVenture': 'mutation { createVenture(input: { name: "", sector: "s", country: "KE", stage: SEED }) { revision } }',
  'Mutation.updateVentureProfile': `mutation { updateVentureProfile(input: { ventureId: "${missing}", name: "x" }) { revision } }`,
  'Mutation.recordGEDSIMetric': `mutation { recordGEDSIMetric(input: { ventureId: "${missing}", metricId: "women_ownership_pct", value: 1, period: "2026-Q1" }) { revision } }`,
  'Mutation.verifyGEDSIMetric': `mutation { verifyGEDSIMetric(input: { ventureId: "${missing}", metricId: "women_ownership_pct", period: "2026-Q1" }) { revision } }`,
  'Mutation.requestCapital': `mutation { requestCapital(input: { ventureId: "${missing}", amount: "1.00", currency: "USD", instrument: GRANT, purpose: "p" }) { revision } }`,
  'Mutation.commitInvestment': `mutation { commitInvestment(input: { capitalRequestId: "${missing}", investorId: "i", amount: "1.00", currency: "USD" }) { revision } }`,
  'Mutation.capturePayment': `mutation { capturePayment(input: { capitalRequestId: "${missing}", paymentId: "p", amount: "1.00", currency: "USD" }) { revision } }`,
  'Mutation.rebuildProjection': 'mutation { rebuildProjection(name: "no_such_projection") { name } }',
  'Query.capitalRequestTimeline': `{ capitalRequestTimeline(id: "${missing}") { status } }`,
  'Query.gedsiVerificationTasks': `{ gedsiVerificationTasks(ventureId: "${missing}") { state } }`,
  'Query.sagas': '{ sagas { name } }',
  'Mutation.registerInvestor': 'mutation { registerInvestor(input: { name: "", sectors: ["s"], countries: [], instruments: [GRANT], currency: "USD", minTicket: "1", maxTicket: "2" }) { revision } }',
  'Mutation.approveDueDiligence': `mutation { approveDueDiligence(input: { capitalRequestId: "${missing}" }) { revision } }`,
  'Mutation.rejectDueDiligence': `mutation { rejectDueDiligence(input: { capitalRequestId: "${missing}", reason: "r" }) { revision } }`,
  'Mutation.cancelCapitalRequest': `mutation { cancelCapitalRequest(input: { capitalRequestId: "${missing}", reason: "r" }) { revision } }`,
  'Subscription.ventureChanged': '',
};

let db: TestDatabase;
let api: TestApi;
const headers = async (roles: readonly string[], tenant = 'acme', sub = 'user'): Promise<Record<string, string>> => ({
  authorization: `Bearer ${await api.token({ sub, tenant, roles })}`,
});

beforeAll(async () => {
  db = await createTestDatabase('e2e_access');
  api = await startTestApi({ databaseUrl: db.url, read: { rateLimit: { points: 100_000, windowSeconds: 60 } } });
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
});

const cases: [Operation, Role, boolean][] = Object.entries(ACCESS)
  .filter(([operation]) => !operation.startsWith('Subscription.'))
  .flatMap(([operation, allowed]) => ROLES.map((role): [Operation, Role, boolean] => [operation as Operation, role, (allowed as readonly string[]).includes(role)]));

describe('the role matrix', () => {
  it.each(cases)('%s as %s: allowed=%s', async (operation, role, allowed) => {
    const before = await api.eventCount();
    const { errors } = await api.graphql(DOCUMENTS[operation], {}, await headers([role]));
    const codes = errors.map((e) => e.extensions?.code);
    if (allowed) {
      expect(codes).not.toContain('FORBIDDEN');
      expect(codes).not.toContain('UNAUTHENTICATED');
    } else {
      expect(codes).toEqual(['FORBIDDEN']);
      expect(await api.eventCount()).toBe(before);
    }
  });

  it.each(Object.keys(DOCUMENTS).filter((op) => !op.startsWith('Subscription.')))('%s without a token is UNAUTHENTICATED', async (operation) => {
    const { errors } = await api.graphql(DOCUMENTS[operation as Operation]);
    expect(errors.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('grants nothing for a role it does not know', async () => {
    const { errors } = await api.graphql(DOCUMENTS['Query.ventures'], {}, await headers(['superuser']));
    expect(errors[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a dashboard as of an instant to a role without time travel, and serves it to an auditor', async () => {
    const query = `{ gedsiDashboard(filter: { asOf: "${PAST}" }) { ventures } }`;
    const analyst = await api.graphql(query, {}, await headers(['analyst']));
    expect(analyst.errors[0]?.extensions?.code).toBe('FORBIDDEN');
    const auditor = await api.graphql(query, {}, await headers(['auditor']));
    expect(auditor.errors).toEqual([]);
    expect(auditor.data).toEqual({ gedsiDashboard: { ventures: 0 } });
  });

  it('serves a venture rebuilt as of now with its history to an auditor', async () => {
    const admin = await headers(['admin']);
    const created = await api.graphql('mutation($i: CreateVentureInput!) { createVenture(input: $i) { aggregateId } }', {
      i: { name: `History ${randomUUID()}`, sector: 'energy', country: 'KE', stage: 'SEED' },
    }, admin);
    const id = (created.data?.['createVenture'] as { aggregateId: string }).aggregateId;
    const query = `{ ventureAsOf(id: "${id}", asOf: "${new Date().toISOString()}") { id history { edges { node { type } } } } }`;
    const auditor = await api.graphql(query, {}, await headers(['auditor']));
    expect(auditor.data).toEqual({ ventureAsOf: { id, history: { edges: [{ node: { type: 'VentureCreated' } }] } } });
  });
});

describe('tenant boundaries', () => {
  let acmeVenture: string;

  beforeAll(async () => {
    const created = await api.graphql('mutation($i: CreateVentureInput!) { createVenture(input: $i) { aggregateId } }', {
      i: { name: `Acme ${randomUUID()}`, sector: 'energy', country: 'KE', stage: 'SEED' },
    }, await headers(['founder'], 'acme', 'alice'));
    acmeVenture = (created.data?.['createVenture'] as { aggregateId: string }).aggregateId;
  });

  it("answers another tenant's venture as of now with null, like a missing one", async () => {
    const query = `{ ventureAsOf(id: "${acmeVenture}", asOf: "${new Date().toISOString()}") { id name } }`;
    const globex = await api.graphql(query, {}, await headers(['admin'], 'globex'));
    expect(globex.errors).toEqual([]);
    expect(globex.data).toEqual({ ventureAsOf: null });
    const acme = await api.graphql(query, {}, await headers(['admin'], 'acme'));
    expect(acme.data?.['ventureAsOf']).toMatchObject({ id: acmeVenture });
  });

  it("never shows another tenant's events in the audit trail, not even by stream id", async () => {
    const query = `{ auditTrail(filter: { streamId: "venture-${acmeVenture}" }) { edges { node { streamId } } } }`;
    const globex = await api.graphql(query, {}, await headers(['auditor'], 'globex'));
    expect(globex.data).toEqual({ auditTrail: { edges: [] } });
    const acme = await api.graphql(query, {}, await headers(['auditor'], 'acme'));
    expect(acme.data).toEqual({ auditTrail: { edges: [{ node: { streamId: `venture-${acmeVenture}` } }] } });
  });

  it("refuses to write to another tenant's venture as NOT_FOUND", async () => {
    const before = await api.eventCount();
    const { errors } = await api.graphql(`mutation { updateVentureProfile(input: { ventureId: "${acmeVenture}", name: "Taken over" }) { revision } }`, {}, await headers(['admin'], 'globex'));
    expect(errors[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await api.eventCount()).toBe(before);
  });
});

describe('founders change only their own ventures', () => {
  const create = 'mutation($i: CreateVentureInput!) { createVenture(input: $i) { aggregateId } }';
  let aliceVenture: string;
  let aliceRequest: string;
  const alice = () => headers(['founder'], 'acme', 'alice');
  const bob = () => headers(['founder'], 'acme', 'bob');

  beforeAll(async () => {
    const created = await api.graphql(create, { i: { name: `Alice ${randomUUID()}`, sector: 'energy', country: 'KE', stage: 'SEED' } }, await alice());
    aliceVenture = (created.data?.['createVenture'] as { aggregateId: string }).aggregateId;
    const requested = await api.graphql(
      'mutation($i: RequestCapitalInput!) { requestCapital(input: $i) { aggregateId } }',
      { i: { ventureId: aliceVenture, amount: '5000.00', currency: 'USD', instrument: 'GRANT', purpose: 'Solar kits' } },
      await alice(),
    );
    expect(requested.errors).toEqual([]);
    aliceRequest = (requested.data?.['requestCapital'] as { aggregateId: string }).aggregateId;
  });

  const founderMutations = (): [string, string][] => [
    ['updateVentureProfile', `mutation { updateVentureProfile(input: { ventureId: "${aliceVenture}", description: "Taken over" }) { revision } }`],
    ['recordGEDSIMetric', `mutation { recordGEDSIMetric(input: { ventureId: "${aliceVenture}", metricId: "women_ownership_pct", value: 10, period: "2026-Q1" }) { revision } }`],
    ['requestCapital', `mutation { requestCapital(input: { ventureId: "${aliceVenture}", amount: "1.00", currency: "USD", instrument: GRANT, purpose: "p" }) { revision } }`],
    ['cancelCapitalRequest', `mutation { cancelCapitalRequest(input: { capitalRequestId: "${aliceRequest}", reason: "not mine" }) { revision } }`],
  ];

  it("refuses another founder's changes as FORBIDDEN, naming the venture field, and appends nothing", async () => {
    for (const [name, document] of founderMutations()) {
      const before = await api.eventCount();
      const { errors, data } = await api.graphql(document, {}, await bob());
      expect({ name, codes: errors.map((e) => e.extensions?.code), field: errors[0]?.extensions?.field, data: data?.[name] ?? null }).toEqual({
        name,
        codes: ['FORBIDDEN'],
        field: 'ventureId',
        data: null,
      });
      expect(errors[0]?.message).toContain('belongs to another founder');
      expect(await api.eventCount()).toBe(before);
    }
  });

  it("lets the venture's founder and an admin (even one who is also a founder) make them", async () => {
    const owner = await api.graphql(founderMutations()[0]?.[1] ?? '', {}, await alice());
    expect(owner.errors).toEqual([]);
    const admin = await api.graphql(founderMutations()[1]?.[1] ?? '', {}, await headers(['founder', 'admin'], 'acme', 'bob'));
    expect(admin.errors).toEqual([]);
    const cancel = await api.graphql(founderMutations()[3]?.[1] ?? '', {}, await alice());
    expect(cancel.errors).toEqual([]);
  });

  it("does not limit what other roles do on any venture of the tenant", async () => {
    const { errors } = await api.graphql(
      `mutation { verifyGEDSIMetric(input: { ventureId: "${aliceVenture}", metricId: "women_ownership_pct", period: "2026-Q1" }) { revision } }`,
      {},
      await headers(['analyst', 'founder'], 'acme', 'carol'),
    );
    expect(errors.map((e) => e.extensions?.code)).not.toContain('FORBIDDEN');
  });
});
