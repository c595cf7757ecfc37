import pino from 'pino';
import { startSagaWorker, type SagaWorker } from '../../src/sagas/saga-worker';
import { DEFAULT_GEDSI_SETTINGS } from '../../src/sagas/saga-config';
import { CapitalFlowHarness } from '../../src/sagas/testing/capital-flow-harness';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(120_000);

const TENANT = 'acme';
const DAY = 86_400_000;
let db: TestDatabase;
let h: CapitalFlowHarness;
let worker: SagaWorker;
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

const reviewTypes = async (ventureId: string): Promise<string[]> => (await h.store.readStream(`gedsireview-${ventureId}`)).map((e) => e.type);

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await worker.fireDueTimers();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  db = await createTestDatabase('saga_gedsi');
  h = await CapitalFlowHarness.create(db.url, { logger: pino({ level: 'silent' }) });
  worker = await startSagaWorker({ databaseUrl: db.url, logger: pino({ level: 'silent' }), gedsi: DEFAULT_GEDSI_SETTINGS, clock, timerPollMs: 50 });
});

afterAll(async () => {
  await worker?.stop();
  await h?.close();
  await db?.drop();
});

describe('the GEDSI workflow', () => {
  it('asks analysts to verify a first value of a required metric, and marks it overdue only if not verified in time', async () => {
    const verifiedInTime = await h.createVenture(TENANT, { ready: false });
    const late = await h.createVenture(TENANT, { ready: false });
    for (const ventureId of [verifiedInTime, late]) await h.recordMetrics(TENANT, ventureId, [{ metricId: 'women_board_pct', value: 35, period: '2026' }]);
    await eventually('two tasks', async () => (await reviewTypes(verifiedInTime)).includes('GEDSIVerificationRequested') && (await reviewTypes(late)).includes('GEDSIVerificationRequested'));
    await h.verifyMetrics(TENANT, verifiedInTime, ['women_board_pct'], '2026');
    const cancelled = async () =>
      (await h.pool.query(`SELECT 1 FROM saga_timers WHERE saga = 'gedsi' AND key = $1 AND local_id LIKE 'verify-%' AND cancelled_at IS NOT NULL`, [verifiedInTime])).rowCount === 1;
    await eventually('the verified task closed', cancelled);
    offsetMs = 15 * DAY;
    await eventually('the late one overdue', async () => (await reviewTypes(late)).includes('GEDSIVerificationOverdue'));
    expect(await reviewTypes(verifiedInTime)).not.toContain('GEDSIVerificationOverdue');
  });

  it('reminds a silent venture at the end of the quarter and marks its reporting overdue after the grace period, once', async () => {
    offsetMs = 0;
    const silent = await h.createVenture(TENANT, { ready: false });
    const reporting = await h.createVenture(TENANT, { ready: false });
    const quarter = `${new Date().getUTCFullYear()}-Q${Math.floor(new Date().getUTCMonth() / 3) + 1}`;
    await h.recordMetrics(TENANT, reporting, [{ metricId: 'youth_employment_pct', value: 12, period: quarter }]);
    await eventually('timers scheduled', async () => (await h.pool.query(`SELECT 1 FROM saga_timers WHERE saga = 'gedsi' AND key = $1`, [silent])).rowCount === 2);
    offsetMs = 130 * DAY;
    await eventually('overdue', async () => (await reviewTypes(silent)).includes('GEDSIReportingOverdue'));
    const silentEvents = await h.store.readStream(`gedsireview-${silent}`);
    expect(silentEvents.filter((e) => e.data['period'] === quarter).map((e) => e.type)).toEqual(['GEDSIReportingReminderIssued', 'GEDSIReportingOverdue']);
    const reported = await h.store.readStream(`gedsireview-${reporting}`);
    expect(reported.filter((e) => e.data['period'] === quarter)).toEqual([]);
  });
});
