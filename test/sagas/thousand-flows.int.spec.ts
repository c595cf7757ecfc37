import pino from 'pino';
import { DEFAULT_CAPITAL_SETTINGS } from '../../src/sagas/saga-config';
import { startSagaWorker, type SagaWorker } from '../../src/sagas/saga-worker';
import { CapitalFlowHarness, minor } from '../../src/sagas/testing/capital-flow-harness';
import { formatAmount } from '../../src/shared/money';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(300_000);

const FLOWS = Number(process.env['SAGA_FLOWS'] ?? 1000);
const logger = pino({ level: 'silent' });
let db: TestDatabase;
let h: CapitalFlowHarness;
let worker: SagaWorker;

beforeAll(async () => {
  db = await createTestDatabase('saga_thousand');
  h = await CapitalFlowHarness.create(db.url, { logger });
  worker = await startSagaWorker({
    databaseUrl: db.url,
    logger,
    simulatedProvider: { seed: 'thousand', captureDeclineRate: 0.05, timeoutRate: 0.05, duplicateWebhookRate: 0.2, maxWebhookDelayMs: 100 },
    capital: { ...DEFAULT_CAPITAL_SETTINGS, captureRetryBaseMs: 100 },
    timerPollMs: 50,
  });
  h.deliverer.start();
  h.startDriver({ shares: [0.5, 0.3, 0.2] });
});

afterAll(async () => {
  await worker?.stop();
  await h?.close();
  await db?.drop();
});

it(`completes ${FLOWS} concurrent capital flows with the provider's ledger balancing to the cent`, async () => {
  const tenants = ['acme', 'globex', 'initech'];
  const ventures = new Map<string, string[]>();
  for (const tenant of tenants) {
    for (let i = 0; i < 3; i++) await h.registerInvestor(tenant);
    ventures.set(tenant, await Promise.all(Array.from({ length: 5 }, () => h.createVenture(tenant))));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const started = Date.now();
  const requested = new Map<string, bigint>();
  const ids: string[] = [];
  for (let chunk = 0; chunk < FLOWS; chunk += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, FLOWS - chunk) }, async (_, k) => {
        const n = chunk + k;
        const tenant = tenants[n % tenants.length] ?? 'acme';
        const venture = ventures.get(tenant)?.[n % 5] ?? '';
        const amount = formatAmount(BigInt(10_000 + ((n * 7919) % 990_001)), 'USD');
        const id = await h.requestCapital(tenant, venture, amount, n % 2 === 0 ? 'GRANT' : 'DEBT');
        requested.set(id, minor(amount));
        ids.push(id);
      }),
    );
  }
  const deadline = Date.now() + 240_000;
  for (;;) {
    const res = await h.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM es_events WHERE type = 'FundsDisbursed'`);
    if ((res.rows[0]?.n ?? 0) >= FLOWS) break;
    if (Date.now() > deadline) throw new Error(`only ${res.rows[0]?.n} of ${FLOWS} flows disbursed in time`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`${FLOWS} capital flows disbursed in ${seconds.toFixed(1)} s (${(FLOWS / seconds).toFixed(1)} flows/s)`);

  const states = await h.waitForAll(ids, ['DISBURSED'], 60_000);
  const ledger = (await h.ledger()).filter((r) => r.outcome === 'succeeded');
  const total = (op: string) => ledger.filter((r) => r.op === op).reduce((sum, r) => sum + r.amountMinor, 0n);
  const expected = [...requested.values()].reduce((sum, v) => sum + v, 0n);
  expect({ captured: total('capture'), paidOut: total('payout'), refunded: total('refund') }).toEqual({ captured: expected, paidOut: expected, refunded: 0n });
  const captures = new Set(ledger.filter((r) => r.op === 'capture').map((r) => `${r.capitalRequestId}#${r.commitment}`));
  expect(captures.size).toBe(ledger.filter((r) => r.op === 'capture').length);
  expect(new Set(ledger.filter((r) => r.op === 'payout').map((r) => r.capitalRequestId)).size).toBe(FLOWS);
  for (const [id, state] of states) {
    expect(state.status === 'DISBURSED' && state.disbursed === requested.get(id) && state.captured === requested.get(id)).toBe(true);
  }
  const dead = await h.pool.query('SELECT count(*)::int AS n FROM saga_dead_letters');
  expect(dead.rows[0]).toEqual({ n: 0 });
});
