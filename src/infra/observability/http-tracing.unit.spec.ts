import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import Fastify, { type FastifyInstance } from 'fastify';
import { createLogger } from '../logger';
import { traceHttpRequests } from './http-tracing';
import { recordSpans, type RecordedSpans } from './testing/recorded-spans';
import { inSpan } from './tracing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${CALLER_SPAN}-01`;

let spans: RecordedSpans;
let app: FastifyInstance;
const lines: Record<string, unknown>[] = [];
const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });

beforeAll(async () => {
  spans = recordSpans();
  app = Fastify();
  traceHttpRequests(app);
  // The body is parsed on stream events, outside the request's async context: the handler must still run in its span.
  app.post('/echo', async (request) => inSpan('command Echo', {}, () => Promise.resolve({ body: request.body, active: trace.getActiveSpan()?.spanContext() }), { correlationId: 'corr-echo' }));
  app.get('/fail', () => Promise.reject(new Error('boom')));
  app.get('/health', () => Promise.resolve({ ok: true }));
  app.get('/log', () => {
    logger.info('inside the request');
    return Promise.resolve({});
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await spans.stop();
});

describe('HTTP server spans', () => {
  it('continues the caller trace from traceparent and makes the handler work a child of the server span', async () => {
    const response = await app.inject({ method: 'POST', url: '/echo?x=1', headers: { traceparent: TRACEPARENT, 'content-type': 'application/json' }, payload: { a: 1 } });
    expect(response.statusCode).toBe(200);
    const server = await spans.waitFor('POST /echo');
    const command = spans.named('command Echo')[0];
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.spanContext().traceId).toBe(TRACE_ID);
    expect(server.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    expect(server.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/echo', 'url.path': '/echo', 'http.response.status_code': 200 });
    expect(command?.spanContext().traceId).toBe(TRACE_ID);
    expect(command?.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect((JSON.parse(response.body) as { active: { spanId: string } }).active.spanId).toBe(command?.spanContext().spanId);
  });

  it('starts a new trace without a traceparent and marks a 500 as an error', async () => {
    const response = await app.inject({ method: 'GET', url: '/fail' });
    expect(response.statusCode).toBe(500);
    const server = await spans.waitFor('GET /fail');
    expect(server.parentSpanContext).toBeUndefined();
    expect(server.spanContext().traceId).not.toBe(TRACE_ID);
    expect(server.status.code).toBe(SpanStatusCode.ERROR);
    expect(server.attributes['http.response.status_code']).toBe(500);
    expect(server.events.map((e) => e.name)).toContain('exception');
  });

  it('does not trace probes', async () => {
    await app.inject({ method: 'GET', url: '/health' });
    await app.inject({ method: 'GET', url: '/log' });
    await spans.waitFor('GET /log');
    expect(spans.named('GET /health')).toEqual([]);
  });

  it('writes the trace and span ids of the request into its log lines', async () => {
    await app.inject({ method: 'GET', url: '/log', headers: { traceparent: TRACEPARENT } });
    const line = lines.find((l) => l['msg'] === 'inside the request' && l['traceId'] === TRACE_ID);
    const server = spans.named('GET /log').find((s) => s.spanContext().traceId === TRACE_ID);
    expect(line).toMatchObject({ traceId: TRACE_ID, spanId: server?.spanContext().spanId });
  });
});

describe('log lines inside spans', () => {
  it('carry the span ids and the correlation id of the work in the span', async () => {
    await inSpan('saga demo Step', {}, () => Promise.resolve(logger.info('handling')), { root: true, correlationId: 'corr-42' });
    const span = spans.named('saga demo Step')[0];
    expect(lines.find((l) => l['msg'] === 'handling')).toMatchObject({ traceId: span?.spanContext().traceId, spanId: span?.spanContext().spanId, correlationId: 'corr-42' });
  });
});
