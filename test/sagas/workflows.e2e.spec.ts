import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { startTestApi, type GraphQLResponse, type TestApi } from '../../src/app/testing/api-harness';
import { WebhookDeliverer } from '../../src/sagas/capital/webhook-deliverer';
import { signatureHeader } from '../../src/sagas/capital/webhook-signature';
import { createSagaApi, type SagaApi } from '../../src/sagas/saga-api';
import { startSagaWorker, type SagaWorker } from '../../src/sagas/saga-worker';
import { DEFAULT_CAPITAL_SETTINGS, DEFAULT_GEDSI_SETTINGS } from '../../src/sagas/saga-config';
import { Pool } from 'pg';
import { migrateSimulatedProvider } from '../../src/sagas/capital/simulated-provider';
import { createEventStore } from '../../src/write-model/event-store/create-event-store';
import type { EventStore } from '../../src/write-model/event-store/event-store.port';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(120_000);

const SECRET = 'e2e-webhook-secret-e2e-webhook-secret';
const RESULT = 'aggregateId streamId revision position eventTypes';
const logger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

let db: TestDatabase;
let api: TestApi;
let sagaApi: SagaApi;
let worker: SagaWorker;
let deliverer: WebhookDeliverer;
let pool: Pool;
let logStore: EventStore;
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
const as: Record<string, Record<string, string>> = {};

async function ok(response: Promise<GraphQLResponse>): Promise<Record<string, unknown>> {
  const { data, errors, raw } = await response;
  if (errors.length > 0 || data === null) throw new Error(`expected success, got ${raw}`);
  return Object.values(data)[0] as Record<string, unknown>;
}

const mutate = (name: string, input: Record<string, unknown>, who: string) =>
  ok(api.graphql(`mutation($input: ${name[0]?.toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { ${RESULT} } }`, { input }, as[who]));

const TIMELINE = 'query($id: ID!) { capitalRequestTimeline(id: $id) { status entries { step status actor at eventType } } }';
type Timeline = { status: string; entries: { step: string; status: string; actor: string; eventType: string }[] } | null;

async function timeline(id: string): Promise<Timeline> {
  const { data } = await api.graphql(TIMELINE, { id }, as['founder']);
  return (data?.['capitalRequestTimeline'] ?? null) as Timeline;
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const hasStep = (step: string) => (t: Timeline) => t?.entries.some((e) => e.step === step) ?? false;

beforeAll(async () => {
  db = await createTestDatabase('e2e_sagas');
  logStore = await createEventStore({ databaseUrl: db.url });
  sagaApi = await createSagaApi({ databaseUrl: db.url, store: logStore, webhookSecret: SECRET });
  api = await startTestApi({ databaseUrl: db.url, sagas: sagaApi, read: { rateLimit: { points: 100_000, windowSeconds: 60 } } });
  worker = await startSagaWorker({
    databaseUrl: db.url,
    logger,
    simulatedProvider: { seed: 'e2e', duplicateWebhookRate: 0.5, maxWebhookDelayMs: 200 },
    capital: DEFAULT_CAPITAL_SETTINGS,
    gedsi: DEFAULT_GEDSI_SETTINGS,
    clock,
    timerPollMs: 50,
  });
  pool = new Pool({ connectionString: db.url, max: 2 });
  pool.on('error', () => undefined);
  await migrateSimulatedProvider(pool);
  deliverer = new WebhookDeliverer({
    pool,
    secret: SECRET,
    logger,
    pollMs: 20,
    sink: async (body, signature) =>
      (await api.app.inject({ method: 'POST', url: '/webhooks/payments', headers: { 'content-type': 'application/json', 'x-payment-signature': signature }, payload: body })).statusCode,
  });
  deliverer.start();
  for (const role of ['founder', 'analyst', 'investor', 'operator', 'admin']) {
    as[role] = { authorization: `Bearer ${await api.token({ sub: `${role}-1`, tenant: 'acme', roles: [role] })}` };
  }
});

afterAll(async () => {
  await deliverer?.stop();
  await worker?.stop();
  await api?.close();
  await sagaApi?.close();
  await logStore?.close();
  await pool?.end();
  await db?.drop();
});

describe('the capital flow through GraphQL', () => {
  it('goes from request to disbursement, each step visible in the timeline with who and when', async () => {
    const sector = `Solar ${randomUUID().slice(0, 8)}`;
    const investors: string[] = [];
    for (const name of ['Acacia Fund', 'Baobab Capital']) {
      const result = await mutate('registerInvestor', { name, sectors: [sector], countries: ['KE'], instruments: ['GRANT', 'EQUITY'], currency: 'USD', minTicket: '100.00', maxTicket: '100000.00' }, 'admin');
      investors.push(String(result['aggregateId']));
    }
    const venture = await mutate('createVenture', { name: `Sunny ${randomUUID()}`, sector, country: 'KE', stage: 'SEED' }, 'founder');
    const ventureId = String(venture['aggregateId']);
    for (const [metricId, value] of [['employees_with_disabilities_pct', 8], ['safeguarding_policy', 1]] as const) {
      await mutate('recordGEDSIMetric', { ventureId, metricId, value, period: '2026-Q4' }, 'founder');
    }
    const tasks = await waitFor(
      'verification tasks',
      async () => (await api.graphql('query($v: ID!) { gedsiVerificationTasks(ventureId: $v) { metricId reason state } }', { v: ventureId }, as['analyst'])).data?.['gedsiVerificationTasks'] as { state: string; reason: string }[],
      (t) => t?.length === 2,
    );
    expect(tasks.every((t) => t.reason === 'FIRST_REQUIRED_VALUE' && t.state === 'OPEN')).toBe(true);

    const requested = await mutate('requestCapital', { ventureId, amount: '1000.00', currency: 'USD', instrument: 'GRANT', purpose: 'Solar kits' }, 'founder');
    const id = String(requested['aggregateId']);
    const waiting = await waitFor('readiness awaited', () => timeline(id), hasStep('READINESS_AWAITED'));
    expect(waiting?.status).toBe('REQUESTED');

    for (const metricId of ['employees_with_disabilities_pct', 'safeguarding_policy']) await mutate('verifyGEDSIMetric', { ventureId, metricId, period: '2026-Q4' }, 'analyst');
    await waitFor('due diligence', () => timeline(id), hasStep('DUE_DILIGENCE_STARTED'));
    expect((await timeline(id))?.status).toBe('DUE_DILIGENCE');
    const forbidden = await api.graphql('mutation($input: ApproveDueDiligenceInput!) { approveDueDiligence(input: $input) { revision } }', { input: { capitalRequestId: id } }, as['founder']);
    expect(forbidden.errors[0]?.extensions?.code).toBe('FORBIDDEN');
    await mutate('approveDueDiligence', { capitalRequestId: id, note: 'accounts audited' }, 'analyst');

    const proposed = await waitFor('proposal', () => timeline(id), hasStep('PROPOSED'));
    expect(proposed?.status).toBe('PROPOSED');
    await mutate('commitInvestment', { capitalRequestId: id, investorId: investors[0], amount: '600.00', currency: 'USD' }, 'investor');
    await mutate('commitInvestment', { capitalRequestId: id, investorId: investors[1], amount: '400.00', currency: 'USD' }, 'investor');

    const done = await waitFor('disbursement', () => timeline(id), (t) => t?.status === 'DISBURSED');
    const steps = done?.entries.map((e) => e.step) ?? [];
    expect(steps).toEqual(
      expect.arrayContaining(['REQUESTED', 'READINESS_AWAITED', 'READINESS_CONFIRMED', 'DUE_DILIGENCE_STARTED', 'DUE_DILIGENCE_APPROVED', 'PROPOSED', 'INVESTMENT_COMMITTED', 'CAPTURE_REQUESTED', 'PAYMENT_CAPTURED', 'DISBURSEMENT_REQUESTED', 'FUNDS_DISBURSED']),
    );
    expect(steps.filter((s) => s === 'PAYMENT_CAPTURED')).toHaveLength(2);
    const actorOf = (step: string) => done?.entries.find((e) => e.step === step)?.actor;
    expect([actorOf('REQUESTED'), actorOf('DUE_DILIGENCE_APPROVED'), actorOf('PROPOSED'), actorOf('PAYMENT_CAPTURED')]).toEqual(['founder-1', 'analyst-1', 'saga:capital', 'provider:payments']);
    expect(done?.entries.map((e) => e.status)).toContain('COMMITTED');

    const verified = (await api.graphql('query($v: ID!) { gedsiVerificationTasks(ventureId: $v) { state } }', { v: ventureId }, as['analyst'])).data?.['gedsiVerificationTasks'] as { state: string }[];
    expect(verified.map((t) => t.state)).toEqual(['VERIFIED', 'VERIFIED']);
  });

  it('lets the founder cancel a request during due diligence', async () => {
    const venture = await mutate('createVenture', { name: `Cancelled ${randomUUID()}`, sector: 'Water', country: 'UG', stage: 'IDEA' }, 'founder');
    const ventureId = String(venture['aggregateId']);
    const requested = await mutate('requestCapital', { ventureId, amount: '50.00', currency: 'USD', instrument: 'EQUITY', purpose: 'Pumps' }, 'founder');
    const id = String(requested['aggregateId']);
    await waitFor('readiness awaited', () => timeline(id), hasStep('READINESS_AWAITED'));
    await mutate('cancelCapitalRequest', { capitalRequestId: id, reason: 'raised elsewhere' }, 'founder');
    expect((await timeline(id))?.status).toBe('CANCELLED');
    const again = await api.graphql('mutation($input: CancelCapitalRequestInput!) { cancelCapitalRequest(input: $input) { revision } }', { input: { capitalRequestId: id, reason: 'x' } }, as['founder']);
    expect(again.errors[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('shows the saga workers to operators: position, lag, timers and the lease', async () => {
    const { data, errors } = await api.graphql('{ sagas { name lag dueTimers scheduledTimers leaseHeld deadLetters position } }', {}, as['operator']);
    expect(errors).toEqual([]);
    const sagas = data?.['sagas'] as { name: string; lag: number; leaseHeld: boolean; deadLetters: number; scheduledTimers: number }[];
    expect(sagas.map((s) => s.name)).toEqual(['capital', 'gedsi', 'investor-directory']);
    expect(sagas.every((s) => s.leaseHeld && s.deadLetters === 0 && s.lag < 50)).toBe(true);
    expect(sagas.find((s) => s.name === 'gedsi')?.scheduledTimers).toBeGreaterThan(0);
  });
});

describe('the GEDSI workflow through GraphQL', () => {
  it('opens a verification task for a large change and marks quarterly reporting overdue when the venture is silent', async () => {
    const venture = await mutate('createVenture', { name: `Silent ${randomUUID()}`, sector: 'Textiles', country: 'TZ', stage: 'SEED' }, 'founder');
    const ventureId = String(venture['aggregateId']);
    await mutate('recordGEDSIMetric', { ventureId, metricId: 'youth_employment_pct', value: 20, period: '2026' }, 'founder');
    await mutate('recordGEDSIMetric', { ventureId, metricId: 'youth_employment_pct', value: 45, period: '2026' }, 'founder');
    const tasks = await waitFor(
      'threshold task',
      async () => (await api.graphql('query($v: ID!) { gedsiVerificationTasks(ventureId: $v) { metricId value reason state } }', { v: ventureId }, as['analyst'])).data?.['gedsiVerificationTasks'] as unknown[],
      (t) => t?.length === 1,
    );
    expect(tasks).toEqual([{ metricId: 'youth_employment_pct', value: 45, reason: 'THRESHOLD_EXCEEDED', state: 'OPEN' }]);

    offsetMs = 200 * 86_400_000;
    await worker.fireDueTimers();
    const stream = await waitFor(
      'overdue reporting',
      async () => (await api.store.readStream(`gedsireview-${ventureId}`)).map((e) => e.type),
      (types) => types.includes('GEDSIReportingOverdue') && types.includes('GEDSIVerificationOverdue'),
    );
    expect(stream).toEqual(expect.arrayContaining(['GEDSIVerificationRequested', 'GEDSIReportingReminderIssued', 'GEDSIReportingOverdue', 'GEDSIVerificationOverdue']));
    const overdue = (await api.graphql('query($v: ID!) { gedsiVerificationTasks(ventureId: $v) { state } }', { v: ventureId }, as['analyst'])).data?.['gedsiVerificationTasks'];
    expect(overdue).toEqual([{ state: 'OVERDUE' }]);
    offsetMs = 0;
  });
});

describe('POST /webhooks/payments', () => {
  const body = JSON.stringify({ id: 'evt_forged', type: 'payout.succeeded', created: 1, data: {} });
  const post = (payload: string, signature?: string) =>
    api.app.inject({ method: 'POST', url: '/webhooks/payments', headers: { 'content-type': 'application/json', ...(signature !== undefined && { 'x-payment-signature': signature }) }, payload });

  it('refuses a missing or wrong signature, and a stale timestamp', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await post(body)).statusCode).toBe(401);
    expect((await post(body, signatureHeader('another-secret-another-secret-xx', now, body))).statusCode).toBe(401);
    expect((await post(body, signatureHeader(SECRET, now - 301, body))).statusCode).toBe(400);
    expect((await post(`${body} `, signatureHeader(SECRET, now, body))).statusCode).toBe(401);
  });

  it('refuses a signed body that is not a provider event, changing nothing', async () => {
    const before = await api.eventCount();
    const response = await post(body, signatureHeader(SECRET, Math.floor(Date.now() / 1000), body));
    expect(response.statusCode).toBe(400);
    expect(await api.eventCount()).toBe(before);
  });
});
