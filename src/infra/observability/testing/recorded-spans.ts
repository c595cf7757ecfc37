import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { initTracing, shutdownTracing } from '../tracing';

export interface RecordedSpans {
  /** Every span ended so far, in the order they ended. */
  all(): ReadableSpan[];
  /** The ended spans whose name matches and, when given, that satisfy `where`. */
  named(name: string | RegExp, where?: (span: ReadableSpan) => boolean): ReadableSpan[];
  /** Polls until `named(...)` finds a span (spans end asynchronously in background loops). */
  waitFor(name: string | RegExp, where?: (span: ReadableSpan) => boolean, timeoutMs?: number): Promise<ReadableSpan>;
  stop(): Promise<void>;
}

/** Installs tracing as main does, with an in-memory exporter that records every span (one per test file). */
export function recordSpans(): RecordedSpans {
  const exporter = new InMemorySpanExporter();
  initTracing({ serviceName: 'gedsi-capital-platform', role: 'test', spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const named = (name: string | RegExp, where: (span: ReadableSpan) => boolean = () => true): ReadableSpan[] =>
    exporter.getFinishedSpans().filter((span) => (typeof name === 'string' ? span.name === name : name.test(span.name)) && where(span));
  return {
    all: () => exporter.getFinishedSpans(),
    named,
    async waitFor(name, where, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = named(name, where)[0];
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no span ${String(name)} as expected within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: shutdownTracing,
  };
}
