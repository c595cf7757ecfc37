import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/parsers';
import { activeCorrelationId } from './observability/correlation-context';

export type { Logger } from 'pino';

/**
 * Structured JSON logs (one object per line) with ISO times. Secrets that may travel in request headers are
 * redacted, so logging a request never leaks a token.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'gedsi-capital-platform' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.password'], censor: '[redacted]' },
    formatters: { level: (label: string) => ({ level: label }) },
    // Every line written inside a span carries its trace and span ids, so logs and traces join up, and the
    // correlation id of the command or event being handled (a field of the call itself takes precedence).
    mixin: (): Record<string, string> => {
      const span = trace.getActiveSpan()?.spanContext();
      const correlationId = activeCorrelationId();
      return { ...(span && { traceId: span.traceId, spanId: span.spanId }), ...(correlationId !== undefined && { correlationId }) };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
