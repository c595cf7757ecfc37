import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/parsers';

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
    // Every line written inside a span carries its trace and span ids, so logs and traces join up.
    mixin: (): Record<string, string> => {
      const span = trace.getActiveSpan()?.spanContext();
      return span ? { traceId: span.traceId, spanId: span.spanId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
