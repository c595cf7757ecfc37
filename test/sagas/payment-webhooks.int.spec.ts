import pino from 'pino';
import { signatureHeader } from '../../src/sagas/capital/webhook-signature';
import { startSagaWorker, type SagaWorker } from '../../src/sagas/saga-worker';
import { DEFAULT_CAPITAL_SETTINGS } from '../../src/sagas/saga-config';
import type { SimulatedProviderOptions } from '../../src/sagas/capital/simulated-provider';
import { CapitalFlowHarness, WEBHOOK_SECRET } from '../../src/sagas/testing/capital-flow-harness';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(180_000);

const TENANT = 'acme';
const logger = pino({ level: 'silent' });
let db: TestDatabase;
let h: CapitalFlowHarness;
let worker: SagaWorker | undefined;

/** The receiver behind POST /webhooks/payments (the HTTP route itself is covered by workflows.e2e.spec.ts). */
const post = (body: string, signature: string) => h.receiver.receive(body, signature);
const sign = (body: string, at = Math.floor(Date.now() / 1000)) => signatureHeader(WEBHOOK_SECRET, at, body);

async function startWorker(provider: Omit<SimulatedProviderOptions, 'seed'>): Promise<void> {
  worker = await startSagaWorker({
    databaseUrl: db.url,
    logger,
    simulatedProvider: { seed: 'webhook-tests', ...provider },
    capital: { ...DEFAULT_CAPITAL_SETTINGS, captureRetryBaseMs: 50 },
    timerPollMs: 30,
  });
}

async function flows(count: number, amount = '300.00'): Promise<string[]> {
  const ventureId = await h.createVenture(TENANT);
  return Promise.all(Array.from({ length: count }, () => h.requestCapital(TENANT, ventureId, amount)));
}

/** Per request: provider captures per commitment and payouts, against the aggregate's totals. */
async function expectLedgerMatches(ids: readonly string[]): Promise<void> {
  const ledger = (await h.ledger()).filter((r) => r.outcome === 'succeeded');
  for (const id of ids) {
    const state = await h.capital(id);
    if (state.status === 'NONE') throw new Error(`no request ${id}`);
    const rows = ledger.filter((r) => r.capitalRequestId === id);
    const commitments = rows.filter((r) => r.op === 'capture').map((r) => r.commitment);
    expect(new Set(commitments).size).toBe(commitments.length);
    const sum = (op: string) => rows.filter((r) => r.op === op).reduce((a, r) => a + r.amountMinor, 0n);
    expect({ captured: sum('capture'), disbursed: sum('payout'), refunded: sum('refund') }).toEqual({ captured: state.captured, disbursed: state.disbursed, refunded: state.refunded });
    expect(sum('capture')).toBe(sum('payout') + sum('refund'));
  }
}

beforeAll(async () => {
  db = await createTestDatabase('saga_webhooks');
  h = await CapitalFlowHarness.create(db.url, { logger });
  h.startDriver();
  for (let i = 0; i < 3; i++) await h.registerInvestor(TENANT);
});

afterEach(async () => {
  await h.deliverer.stop();
  await worker?.stop();
  worker = undefined;
});

afterAll(async () => {
  await h?.close();
  await db?.drop();
});

describe('payment webhooks', () => {
  it('applies duplicate, delayed and reordered deliveries once', async () => {
    await startWorker({ duplicateWebhookRate: 1, maxWebhookDelayMs: 800, captureDeclineRate: 0.25 });
    const ids = await flows(12);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    h.deliverer.start();
    const states = await h.waitForAll(ids, ['DISBURSED', 'EXPIRED', 'CANCELLED'], 60_000);
    expect([...states.values()].filter((s) => s.status === 'DISBURSED').length).toBeGreaterThan(0);
    await expectLedgerMatches(ids);
    const outbox = await h.pool.query<{ copies: string }>('SELECT count(*) AS copies FROM sim_provider_outbox GROUP BY event_id');
    expect(outbox.rows.every((r) => Number(r.copies) === 2)).toBe(true);
    const captured = (await Promise.all(ids.map((id) => h.store.readStream(`capital-${id}`)))).flat().filter((e) => e.type === 'PaymentCaptured');
    expect(new Set(captured.map((e) => e.data['paymentId'])).size).toBe(captured.length);
  });

  it.each(['after', 'before'] as const)('captures once when the provider times out (%s doing the work) and then succeeds', async (timeoutMode) => {
    await startWorker({ timeoutRate: 1, timeoutMode });
    h.deliverer.start();
    const ids = await flows(4);
    await h.waitForAll(ids, ['DISBURSED'], 60_000);
    await expectLedgerMatches(ids);
    // The webhook of a timed-out call can complete the flow before the retry asks again: wait for the retries.
    for (let i = 0; i < 200; i++) {
      const pending = await h.pool.query("SELECT 1 FROM saga_timers WHERE kind = 'retry' AND fired_at IS NULL AND cancelled_at IS NULL");
      if (pending.rowCount === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const ops = (await h.ledger()).filter((r) => ids.includes(r.capitalRequestId));
    expect(ops.filter((r) => r.op === 'capture')).toHaveLength(8);
    // 'after': the timed-out call did the work and the retry with the same key found it; 'before': only the retry did.
    const captures = ops.filter((r) => r.op === 'capture');
    expect(captures.map((r) => r.calls)).toEqual(captures.map(() => (timeoutMode === 'after' ? 2 : 1)));
    expect(ops.filter((r) => r.op === 'payout')).toHaveLength(4);
    const firstCalls = await h.pool.query('SELECT count(*)::int AS n FROM sim_provider_first_calls WHERE idempotency_key LIKE ANY($1)', [ids.map((id) => `%${id}%`)]);
    expect(firstCalls.rows[0]).toEqual({ n: 12 });
  });

  it('answers a replayed delivery without effect, and refuses it once its timestamp is stale', async () => {
    await startWorker({});
    const [id] = await flows(1);
    if (id === undefined) throw new Error('no flow');
    const row = await waitForOutbox(id, 'capture.succeeded');
    const body = JSON.stringify(row);
    const signed = sign(body);
    const first = await post(body, signed);
    expect(first.body).toEqual({ status: 'applied' });
    const eventsAfterFirst = (await h.store.readStream(`capital-${id}`)).length;
    const replays = await Promise.all([post(body, signed), post(body, signed), post(body, sign(body))]);
    expect(replays.map((r) => [r.status, r.body.status])).toEqual([
      [200, 'duplicate'],
      [200, 'duplicate'],
      [200, 'duplicate'],
    ]);
    expect((await post(body, sign(body, Math.floor(Date.now() / 1000) - 600))).status).toBe(400);
    expect((await h.store.readStream(`capital-${id}`)).length).toBe(eventsAfterFirst);
    h.deliverer.start();
    await h.waitForAll([id], ['DISBURSED'], 30_000);
    await expectLedgerMatches([id]);
  });

  it('applies two different deliveries racing for the same capture once', async () => {
    await startWorker({});
    const [id] = await flows(1);
    if (id === undefined) throw new Error('no flow');
    const event = await waitForOutbox(id, 'capture.succeeded');
    const twin = { ...event, id: `${event.id}_redelivered` };
    const answers = await Promise.all([event, twin, event].map((e) => post(JSON.stringify(e), sign(JSON.stringify(e)))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const captured = (await h.store.readStream(`capital-${id}`)).filter((e) => e.type === 'PaymentCaptured');
    expect(captured).toHaveLength(1);
  });
});

async function waitForOutbox(capitalRequestId: string, type: string): Promise<{ id: string; [key: string]: unknown }> {
  for (let i = 0; i < 200; i++) {
    const res = await h.pool.query<{ payload: { id: string } }>(
      `SELECT payload FROM sim_provider_outbox WHERE payload->>'type' = $1 AND payload->'data'->'metadata'->>'capitalRequestId' = $2 ORDER BY seq LIMIT 1`,
      [type, capitalRequestId],
    );
    const payload = res.rows[0]?.payload;
    if (payload !== undefined) return payload;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${type} webhook for ${capitalRequestId}`);
}
