import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { cleanAttributes, tracer } from './tracing';

/** Probes and scrapes: a span each would bury the requests worth reading. */
const UNTRACED_ROUTES = new Set(['/health', '/ready', '/metrics']);

const traced = new WeakMap<FastifyRequest, { readonly span: Span; readonly context: Context }>();

/** The server span of a request (the GraphQL hooks name it after the operation), if the request is traced. */
export function serverSpanOf(request: FastifyRequest | undefined): Span | undefined {
  return request === undefined ? undefined : traced.get(request)?.span;
}

/**
 * A SERVER span per HTTP request, child of the caller's W3C `traceparent` when it sends one. The span is made
 * active for the hooks and again just before the handler (so a body parser or hook that loses the async context
 * cannot detach the handler from it): the spans of the commands a resolver runs are its children. Ends when the
 * response is sent (ERROR from 500) or the client aborts.
 */
export function traceHttpRequests(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    // A WebSocket upgrade (GraphQL subscriptions) lives as long as its connection: no request span for it.
    if ((route !== undefined && UNTRACED_ROUTES.has(route)) || request.headers.upgrade !== undefined) return done();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const attributes = cleanAttributes({
      [ATTR_HTTP_REQUEST_METHOD]: request.method,
      [ATTR_HTTP_ROUTE]: route,
      [ATTR_URL_PATH]: request.url.split('?')[0],
      [ATTR_URL_SCHEME]: request.protocol,
      [ATTR_USER_AGENT_ORIGINAL]: request.headers['user-agent'],
    });
    const span = tracer().startSpan(route === undefined ? request.method : `${request.method} ${route}`, { kind: SpanKind.SERVER, attributes }, parent);
    const active = trace.setSpan(parent, span);
    traced.set(request, { span, context: active });
    context.with(active, done);
  });

  app.addHook('preHandler', (request, _reply, done) => {
    const entry = traced.get(request);
    if (entry === undefined) return done();
    context.with(entry.context, done);
  });

  app.addHook('onError', (request, _reply, error, done) => {
    traced.get(request)?.span.recordException(error);
    done();
  });

  app.addHook('onResponse', (request, reply, done) => {
    const span = finish(request);
    if (span !== undefined) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR }).setAttribute(ATTR_ERROR_TYPE, String(reply.statusCode));
      span.end();
    }
    done();
  });

  app.addHook('onRequestAbort', (request, done) => {
    finish(request)?.setStatus({ code: SpanStatusCode.ERROR, message: 'client aborted the request' }).end();
    done();
  });
}

/** The request's span, forgotten so it ends once. */
function finish(request: FastifyRequest): Span | undefined {
  const entry = traced.get(request);
  traced.delete(request);
  return entry?.span;
}
