import { context, createContextKey, type Context } from '@opentelemetry/api';

/**
 * The correlation id of the work in progress, carried in the OpenTelemetry context next to the active span, so
 * every log line written while handling one command or event names it (see the logger's mixin). Without a
 * registered context manager (no `initTracing`) nothing is carried and log lines simply lack it.
 */
const CORRELATION_ID = createContextKey('gedsi.correlation_id');

export const withCorrelationId = (parent: Context, correlationId: string): Context => parent.setValue(CORRELATION_ID, correlationId);

export function activeCorrelationId(): string | undefined {
  const value = context.active().getValue(CORRELATION_ID);
  return typeof value === 'string' ? value : undefined;
}
