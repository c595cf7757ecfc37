import { context, propagation, trace, SpanKind, SpanStatusCode, type Link, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export const tracer = trace.getTracer('gedsi-capital-platform');

let provider: NodeTracerProvider | undefined;

/**
 * Installs the tracer provider. Spans are exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is
 * set; otherwise they are still created (so trace ids reach logs and event metadata) and dropped.
 */
export function initTracing(options: { serviceName: string; role: string; endpoint?: string }): void {
  if (provider) return;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName, 'service.instance.role': options.role }),
    spanProcessors: options.endpoint ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/$/, '')}/v1/traces` }))] : [],
  });
  provider.register(); // W3C trace context + baggage propagators
}

export async function shutdownTracing(): Promise<void> {
  await provider?.shutdown();
  provider = undefined;
}

/** Runs `fn` inside a new active span, recording errors; the span ends when the promise settles. */
export async function inSpan<T>(
  name: string,
  attributes: Record<string, string | number | boolean | undefined>,
  fn: (span: Span) => Promise<T>,
  options: { links?: Link[]; kind?: SpanKind } = {},
): Promise<T> {
  const clean = Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined)) as Record<string, string | number | boolean>;
  return tracer.startActiveSpan(name, { attributes: clean, links: options.links, kind: options.kind ?? SpanKind.INTERNAL }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : new Error(String(error)));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The active span's W3C `traceparent`, stored in event metadata so the handlers of an event can link to it. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier['traceparent'];
}

/** A span link to the span that wrote an event (from its metadata `traceparent`), if it carries one. */
export function linkFromTraceparent(traceparent: unknown): Link | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const spanContext = trace.getSpanContext(propagation.extract(context.active(), { traceparent }));
  return spanContext ? { context: spanContext } : undefined;
}
