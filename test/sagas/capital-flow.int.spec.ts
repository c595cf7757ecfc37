import pino from 'pino';
import { CapitalFlowHarness, minor } from '../../src/sagas/testing/capital-flow-harness';
import type { PaymentProvider } from '../../src/sagas/capital/payment-provider.port';
import { SimulatedPaymentProvider } from '../../src/sagas/capital/simulated-provider';
import { startSagaWorker, type SagaWorker } from '../../src/sagas/saga-worker';
import { DEFAULT_CAPITAL_SETTINGS } from '../../src/sagas/saga-config';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(120_000);

const TENANT = 'acme';
let db: TestDatabase;
let h: CapitalFlowHarness;
let worker: SagaWorker | undefined;
const logger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

async function startWorker(provider?: PaymentProvider, settings: Partial<typeof DEFAULT_CAPITAL_SETTINGS> = {}): Promise<SagaWorker> {
  worker = await startSagaWorker({
    databaseUrl: db.url,
    logger,
    ...(provider !== undefined && { provider }),
    simulatedProvider: { seed: 'flow-tests' },
    capital: { ...DEFAULT_CAPITAL_SETTINGS, captureRetryBaseMs: 50, ...settings },
    timerPollMs: 50,
    leaseRetryMs: 200,
    restartDelayMs: 200,
  });
  return worker;
}

beforeAll(async () => {
  db = await createTestDatabase('saga_flow');
  h = await CapitalFlowHarness.create(db.url, { logger });
  h.deliverer.start();
  h.startDriver({ approve: (id) => !rejected.has(id) });
});

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

afterAll(async () => {
  await h?.close();
  await db?.drop();
});

const rejected = new Set<string>();

describe('the capital flow with the simulated provider', () => {
  it('runs a request through readiness, due diligence, proposals, commitments, captures and disbursement', async () => {
    await startWorker();
    const ventureId = await h.createVenture(TENANT);
    const investors = [await h.registerInvestor(TENANT), await h.registerInvestor(TENANT)];
    await new Promise((resolve) => setTimeout(resolve, 300));
    const id = await h.requestCapital(TENANT, ventureId, '1000.00', 'GRANT');
    const [state] = (await h.waitForAll([id])).values();
    expect(state).toMatchObject({ status: 'DISBURSED', captured: minor('1000.00'), disbursed: minor('1000.00') });
    const types = (await h.store.readStream(`capital-${id}`)).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['CapitalReadinessConfirmed', 'DueDiligenceStarted', 'DueDiligenceApproved', 'CapitalProposed', 'PaymentCaptureRequested', 'PaymentCaptured', 'DisbursementRequested', 'FundsDisbursed']),
    );
    const ledger = (await h.ledger()).filter((r) => r.capitalRequestId === id);
    expect(ledger.filter((r) => r.op === 'capture').map((r) => r.amountMinor).sort()).toEqual([minor('400.00'), minor('600.00')]);
    expect(ledger.filter((r) => r.op === 'payout').map((r) => r.amountMinor)).toEqual([minor('1000.00')]);
    expect(investors).toHaveLength(2);
  });

  it('waits for the missing GEDSI metrics and goes on once they are verified', async () => {
    await startWorker();
    const ventureId = await h.createVenture(TENANT, { ready: false });
    const id = await h.requestCapital(TENANT, ventureId, '500.00', 'GRANT');
    for (let i = 0; i < 100; i++) {
      const state = await h.capital(id);
      if (state.status !== 'NONE' && state.phase === 'AWAITING_READINESS') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const waiting = await h.capital(id);
    expect(waiting).toMatchObject({ phase: 'AWAITING_READINESS', missingMetricIds: ['employees_with_disabilities_pct', 'safeguarding_policy'] });
    await h.recordMetrics(TENANT, ventureId, [{ metricId: 'employees_with_disabilities_pct', value: 5 }, { metricId: 'safeguarding_policy', value: 1 }]);
    await h.verifyMetrics(TENANT, ventureId, ['employees_with_disabilities_pct', 'safeguarding_policy']);
    const [state] = (await h.waitForAll([id])).values();
    expect(state?.status).toBe('DISBURSED');
  });

  it('stops at a rejected due diligence', async () => {
    await startWorker();
    const ventureId = await h.createVenture(TENANT);
    const id = await h.requestCapital(TENANT, ventureId, '100.00', 'DEBT');
    rejected.add(id);
    await h.waitForAll([id], ['DUE_DILIGENCE'], 10_000);
    await h.runCapital({ type: 'RejectDueDiligence', data: { capitalRequestId: id, reason: 'no audited accounts' }, context: { now: new Date().toISOString(), actor: 'analyst', tenant: TENANT } }, h.metadata(TENANT, 'analyst'));
    const [state] = (await h.waitForAll([id])).values();
    expect(state?.status).toBe('REJECTED');
  });

  it('expires when the commitment window closes uncovered, releasing the commitments', async () => {
    await startWorker(undefined, { commitmentWindowMs: 1500 });
    const ventureId = await h.createVenture(TENANT, { sector: 'Fisheries' });
    const id = await h.requestCapital(TENANT, ventureId, '100.00', 'GRANT');
    const [state] = (await h.waitForAll([id], ['EXPIRED'], 20_000)).values();
    expect(state).toMatchObject({ status: 'EXPIRED', committed: 0n });
  });

  it('releases a commitment whose captures keep failing and proposes again without that investor', async () => {
    const ventureId = await h.createVenture(TENANT, { sector: 'Water' });
    const good = await h.registerInvestor(TENANT, { sectors: ['Water'] });
    const bad = await h.registerInvestor(TENANT, { sectors: ['Water'] });
    const simulated = new SimulatedPaymentProvider(h.pool, { seed: 'flow-tests' });
    const declining: PaymentProvider = {
      capture: (r) => (r.payer === bad ? Promise.resolve({ status: 'declined', reason: 'insufficient funds' }) : simulated.capture(r)),
      disburse: (r) => simulated.disburse(r),
      refund: (r) => simulated.refund(r),
    };
    await startWorker(declining, { commitmentWindowMs: 4000, captureAttempts: 2 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const id = await h.requestCapital(TENANT, ventureId, '1000.00', 'GRANT');
    const [state] = (await h.waitForAll([id], ['EXPIRED', 'DISBURSED'], 40_000)).values();
    const events = await h.store.readStream(`capital-${id}`);
    const released = events.filter((e) => e.type === 'CommitmentReleased').map((e) => e.data['reason']);
    expect(released).toContain('CAPTURE_FAILED');
    expect(events.filter((e) => e.type === 'CapitalProposed').length).toBeGreaterThanOrEqual(2);
    expect(events.filter((e) => e.type === 'PaymentCaptureFailed').length).toBeGreaterThanOrEqual(2);
    const ledger = (await h.ledger()).filter((r) => r.capitalRequestId === id && r.outcome === 'succeeded');
    const sum = (op: string) => ledger.filter((r) => r.op === op).reduce((a, r) => a + r.amountMinor, 0n);
    expect(sum('capture')).toBe(sum('refund') + sum('payout'));
    expect(state?.status).toBe('DISBURSED');
    expect(sum('payout')).toBe(minor('1000.00'));
    const lastProposal = events.filter((e) => e.type === 'CapitalProposed').pop();
    expect(lastProposal?.data['investorIds']).toEqual([good]);
  });

  it('refunds every capture when the disbursement fails, and ends cancelled', async () => {
    const simulated = new SimulatedPaymentProvider(h.pool, { seed: 'flow-tests', payoutDeclineRate: 1 });
    await startWorker(simulated);
    const ventureId = await h.createVenture(TENANT);
    const id = await h.requestCapital(TENANT, ventureId, '250.00', 'GRANT');
    const [state] = (await h.waitForAll([id], ['CANCELLED'], 30_000)).values();
    expect(state).toMatchObject({ status: 'CANCELLED', captured: minor('250.00'), refunded: minor('250.00'), disbursed: 0n });
    const ledger = (await h.ledger()).filter((r) => r.capitalRequestId === id);
    expect(ledger.filter((r) => r.op === 'refund' && r.outcome === 'succeeded').reduce((a, r) => a + r.amountMinor, 0n)).toBe(minor('250.00'));
  });
});
