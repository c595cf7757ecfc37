import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { recordSpans, type RecordedSpans } from '../../src/infra/observability/testing/recorded-spans';
import { DEFAULT_CAPITAL_SETTINGS } from '../../src/sagas/saga-config';
import { startSagaWorker, type SagaWorker } from '../../src/sagas/saga-worker';
import { CapitalFlowHarness } from '../../src/sagas/testing/capital-flow-harness';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(120_000);

const TENANT = 'acme';
let spans: RecordedSpans;
let db: TestDatabase;
let h: CapitalFlowHarness;
let worker: SagaWorker | undefined;

beforeAll(async () => {
  spans = recordSpans();
  db = await createTestDatabase('tracing_saga');
  h = await CapitalFlowHarness.create(db.url);
});

afterAll(async () => {
  await worker?.stop();
  await h?.close();
  await db?.drop();
  await spans?.stop();
});

const ids = (span: ReadableSpan | undefined) => ({ traceId: span?.spanContext().traceId, spanId: span?.spanContext().spanId });

describe('a saga step traced from the event that triggered it', () => {
  it('runs in its own trace linked to the writer of the event, with the commands it issues as its children', async () => {
    const ventureId = await h.createVenture(TENANT);
    const capitalRequestId = await h.requestCapital(TENANT, ventureId, '1000.00', 'GRANT');
    const [requested] = await h.store.readStream(`capital-${capitalRequestId}`);
    const writer = spans.named('command RequestCapital', (s) => s.attributes['stream.id'] === `capital-${capitalRequestId}`)[0];
    expect(requested?.type).toBe('CapitalRequested');
    expect(requested?.metadata['traceparent']).toBe(`00-${ids(writer).traceId}-${ids(writer).spanId}-01`);

    worker = await startSagaWorker({ databaseUrl: db.url, logger: pino({ level: 'silent' }), simulatedProvider: { seed: 'tracing' }, capital: DEFAULT_CAPITAL_SETTINGS, timerPollMs: 50, leaseRetryMs: 200, restartDelayMs: 200 });
    const step = await spans.waitFor('saga capital CheckCapitalReadiness', (s) => s.attributes['causation.id'] === requested?.eventId);
    expect(step.parentSpanContext).toBeUndefined();
    expect(ids(step).traceId).not.toBe(ids(writer).traceId);
    expect(step.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId }))).toEqual([ids(writer)]);
    expect(step.links[0]?.attributes).toMatchObject({ 'event.id': requested?.eventId, 'correlation.id': requested?.metadata.correlationId });
    expect(step.attributes).toMatchObject({
      'saga.name': 'capital',
      'saga.trigger': 'event',
      'event.type': 'CapitalRequested',
      'correlation.id': requested?.metadata.correlationId,
      'causation.id': requested?.eventId,
    });

    const command = await spans.waitFor('command CheckCapitalReadiness', (s) => s.parentSpanContext?.spanId === ids(step).spanId);
    expect(ids(command).traceId).toBe(ids(step).traceId);
    expect(command.attributes['correlation.id']).toBe(requested?.metadata.correlationId);

    const events = await h.store.readStream(`capital-${capitalRequestId}`);
    const readiness = events.find((e) => e.type === 'CapitalReadinessConfirmed' || e.type === 'CapitalReadinessAwaited');
    expect(readiness?.metadata['traceparent']).toBe(`00-${ids(step).traceId}-${ids(command).spanId}-01`);
    expect(readiness?.metadata.causationId).toBe(requested?.eventId);
  });
});
