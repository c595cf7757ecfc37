import { context, propagation, ROOT_CONTEXT, trace, SpanKind, SpanStatusCode, type Context, type Link, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { withCorrelationId } from './correlation-context';

const TRACER_NAME = 'gedsi-capital-platform';

/** Looked up at each use: a provider registered after this module was imported (main, tests) is the one used. */
export const tracer = (): Tracer => trace.getTracer(TRACER_NAME);

let provider: NodeTracerProvider | undefined;

export interface TracingOptions {
  readonly serviceName: string;
  readonly role: string;
  readonly endpoint?: string;
  /** Extra processors (tests record spans with an in-memory exporter). */
  readonly spanProcessors?: readonly SpanProcessor[];
}

/**
 * Installs the tracer provider, the W3C trace-context propagator and the async-local context manager. Spans are
 * exported over OTLP/HTTP only when `endpoint` (OTEL_EXPORTER_OTLP_ENDPOINT) is set; otherwise they are still
 * created (so trace ids reach logs, event metadata and Kafka headers) and dropped.
 */
export function initTracing(options: TracingOptions): void {
  if (provider) return;
  const otlp = options.endpoint ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/$/, '')}/v1/traces` }))] : [];
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName, 'service.instance.role': options.role }),
    spanProcessors: [...otlp, ...(options.spanProcessors ?? [])],
  });
  provider.register();
}

/** Flushes and stops the provider and unregisters the globals, so `initTracing` may run again (tests). */
export async function shutdownTracing(): Promise<void> {
  await provider?.shutdown();
  provider = undefined;
  trace.disable();
  propagation.disable();
  context.disable();
}

export type Attributes = Record<string, string | number | boolean | undefined>;

export interface InSpanOptions {
  readonly links?: Link[];
  readonly kind?: SpanKind;
  /** Starts a new trace (the handler of an event links to its writer rather than joining whatever context ran it). */
  readonly root?: boolean;
  /** The parent context instead of the active one (a `traceparent` received from Kafka). */
  readonly parent?: Context;
  /** Named by every log line written inside the span. */
  readonly correlationId?: string;
}

/** Runs `fn` inside a new active span, recording errors; the span ends when the promise settles. */
export async function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, options: InSpanOptions = {}): Promise<T> {
  const parent = options.parent ?? context.active();
  const active = options.correlationId === undefined ? parent : withCorrelationId(parent, options.correlationId);
  const spanOptions = { attributes: cleanAttributes(attributes), kind: options.kind ?? SpanKind.INTERNAL, root: options.root ?? false, ...(options.links && { links: options.links }) };
  return tracer().startActiveSpan(name, spanOptions, active, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : new Error(String(error)));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

export function cleanAttributes(attributes: Attributes): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined)) as Record<string, string | number | boolean>;
}

/** The active span's W3C `traceparent`, stored in event metadata so the handlers of an event can link to it. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier['traceparent'];
}

/** A context whose remote parent is `traceparent` (the root context when it is absent or malformed). */
export function contextFromTraceparent(traceparent: unknown): Context {
  return typeof traceparent === 'string' ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/** A span link to the span that wrote an event (from its metadata `traceparent`), if it carries one. */
export function linkFromTraceparent(traceparent: unknown, attributes: Attributes = {}): Link | undefined {
  const spanContext = trace.getSpanContext(contextFromTraceparent(traceparent));
  return spanContext ? { context: spanContext, attributes: cleanAttributes(attributes) } : undefined;
}
