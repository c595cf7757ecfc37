import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTestApi, type TestApi } from '../../src/app/testing/api-harness';
import { createLogger } from '../../src/infra/logger';
import { recordSpans, type RecordedSpans } from '../../src/infra/observability/testing/recorded-spans';
import { startProjector, type Projector } from '../../src/projections/projector';
import { silentLogger } from '../../src/projections/testing/support';
import type { EventStore } from '../../src/write-model/event-store/event-store.port';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(120_000);

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';
const CREATE = `mutation CreateTracedVenture($input: CreateVentureInput!) { createVenture(input: $input) { aggregateId streamId } }`;

let spans: RecordedSpans;
let db: TestDatabase;
let api: TestApi;
let projector: Projector | undefined;
let admin: Record<string, string>;
/** Lines the store logs while it appends: inside the command span. */
const appendLogs: Record<string, unknown>[] = [];

/** The store, logging each append, as a sign of what a line written inside the command's span carries. */
function loggingAppends(store: EventStore): EventStore {
  const logger = createLogger('info', { write: (line: string) => void appendLogs.push(JSON.parse(line) as Record<string, unknown>) });
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'append') return Reflect.get(target, property, receiver) as unknown;
      return (...args: Parameters<EventStore['append']>) => {
        logger.info({ streamId: args[0] }, 'appending');
        return target.append(...args);
      };
    },
  });
}

beforeAll(async () => {
  spans = recordSpans();
  db = await createTestDatabase('tracing_api');
  api = await startTestApi({ databaseUrl: db.url, wrapStore: loggingAppends });
  admin = { authorization: `Bearer ${await api.token({ sub: 'alice', tenant: 'acme', roles: ['admin'] })}` };
});

afterAll(async () => {
  await projector?.stop();
  await api?.close();
  await db?.drop();
  await spans?.stop();
});

const ids = (span: ReadableSpan | undefined) => ({ traceId: span?.spanContext().traceId, spanId: span?.spanContext().spanId });

describe('a GraphQL mutation traced from the caller to the projection', () => {
  it('joins the caller trace, makes the command a child of the request span, stores its traceparent and links the projection batch to it', async () => {
    const headers = { ...admin, traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`, 'x-correlation-id': 'corr-traced-1' };
    const input = { name: 'Traced Solar', sector: 'Energy', country: 'KE', stage: 'SEED' };
    const response = await api.graphql(CREATE, { input }, headers);
    expect(response.errors).toEqual([]);
    const { aggregateId, streamId } = response.data?.['createVenture'] as { aggregateId: string; streamId: string };

    const server = await spans.waitFor('graphql CreateTracedVenture');
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(ids(server).traceId).toBe(TRACE_ID);
    expect(server.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/graphql',
      'http.response.status_code': 200,
      'graphql.operation.name': 'CreateTracedVenture',
      'graphql.operation.type': 'mutation',
      'correlation.id': 'corr-traced-1',
    });
    expect(server.status.code).toBe(SpanStatusCode.UNSET);

    const command = spans.named('command CreateVenture', (s) => s.attributes['stream.id'] === streamId)[0];
    expect(ids(command).traceId).toBe(TRACE_ID);
    expect(command?.parentSpanContext?.spanId).toBe(ids(server).spanId);
    expect(command?.attributes).toMatchObject({ 'correlation.id': 'corr-traced-1', 'command.type': 'CreateVenture' });

    const [created] = await api.store.readStream(streamId);
    expect(created?.type).toBe('VentureCreated');
    expect(created?.metadata['traceparent']).toBe(`00-${TRACE_ID}-${ids(command).spanId}-01`);
    expect(created?.metadata.correlationId).toBe('corr-traced-1');

    const appendLine = appendLogs.find((line) => line['streamId'] === streamId);
    expect(appendLine).toMatchObject({ traceId: TRACE_ID, spanId: ids(command).spanId, correlationId: 'corr-traced-1' });

    projector = await startProjector({ databaseUrl: db.url, logger: silentLogger(), only: ['ventures'] });
    const linksToCommand = (span: ReadableSpan): boolean => span.links.some((l) => l.context.spanId === ids(command).spanId);
    const batch = await spans.waitFor('projection ventures batch', linksToCommand);
    const link = batch.links.find((l) => l.context.spanId === ids(command).spanId);
    expect(link?.context.traceId).toBe(TRACE_ID);
    expect(link?.attributes).toMatchObject({ 'event.id': created?.eventId, 'event.type': 'VentureCreated', 'correlation.id': 'corr-traced-1' });
    expect(batch.parentSpanContext).toBeUndefined();
    expect(ids(batch).traceId).not.toBe(TRACE_ID);
    expect(batch.attributes).toMatchObject({ 'projection.name': 'ventures', 'projection.generation': expect.any(Number) as number });
    expect(batch.attributes['batch.events']).toBeGreaterThanOrEqual(1);
    expect(aggregateId).toBe(created?.data['ventureId']);
  });

  it('marks the request span as failed when the operation answers with errors', async () => {
    const response = await api.graphql(CREATE.replace('CreateTracedVenture', 'RefusedVenture'), { input: { name: '', sector: 'Energy', country: 'KE', stage: 'SEED' } }, admin);
    expect(response.errors.length).toBeGreaterThan(0);
    const server = await spans.waitFor('graphql RefusedVenture');
    expect(server.parentSpanContext).toBeUndefined();
    expect(server.status.code).toBe(SpanStatusCode.ERROR);
    expect(server.attributes['graphql.error.count']).toBe(response.errors.length);
  });
});
