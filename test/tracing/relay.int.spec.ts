import { randomUUID } from 'node:crypto';
import { SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '../../src/infra/logger';
import { recordSpans, type RecordedSpans } from '../../src/infra/observability/testing/recorded-spans';
import { currentTraceparent, inSpan } from '../../src/infra/observability/tracing';
import { startIntegrationConsumer, type ConsumedEvent, type IntegrationConsumer } from '../../src/relay/consumer';
import { startRelay, type RelayHandle } from '../../src/relay/kafka-relay';
import { topicOf } from '../../src/relay/wire';
import { schemaRegistry } from '../../src/shared/schemas/schema-registry';
import { expect as expectRevision } from '../../src/write-model/event-store/event-store.port';
import { PostgresEventStore } from '../../src/write-model/event-store/postgres/postgres-event-store';
import { ValidatingEventStore } from '../../src/write-model/event-store/validating-event-store';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { describeWithKafka } from '../support/kafka';
import { until } from '../support/relay-verify';
import { eventFor } from '../support/relay-workload';

jest.setTimeout(120_000);

const ids = (span: ReadableSpan | undefined) => ({ traceId: span?.spanContext().traceId, spanId: span?.spanContext().spanId });

describeWithKafka('the relay and its consumers traced from the writer of the event', (brokers) => {
  let spans: RecordedSpans;
  let db: TestDatabase;
  let raw: PostgresEventStore;
  let relay: RelayHandle | undefined;
  let consumer: IntegrationConsumer | undefined;
  const silent = createLogger('silent');
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const prefix = `test-tracing-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    spans = recordSpans();
    db = await createTestDatabase('tracing_relay');
    raw = await PostgresEventStore.create({ connectionString: db.url });
  });

  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await raw?.close();
    await db?.drop();
    await spans?.stop();
  });

  it('links the publish span to the writer, sends its traceparent in the message and runs the handler in a child span', async () => {
    const store = new ValidatingEventStore(raw, schemaRegistry());
    const ventureId = randomUUID();
    const eventId = randomUUID();
    await inSpan('command CreateVenture', {}, () => {
      const metadata = { correlationId: 'corr-relay-1', causationId: 'cause-relay-1', actor: 'test', tenant: 'acme', traceparent: currentTraceparent() };
      return store.append(`venture-${ventureId}`, [{ eventId, ...eventFor(0, ventureId, 0), metadata }], expectRevision.noStream);
    });
    const writer = spans.named('command CreateVenture')[0];

    relay = await startRelay({ databaseUrl: db.url, brokers, logger: silent, topicPrefix: prefix, partitions: 1 });
    const started = relay;
    await until(async () => (await started.status()).lag === 0, 30_000, 'the relay to publish');
    const publish = await spans.waitFor('relay publish', (s) => s.links.some((l) => l.context.spanId === ids(writer).spanId));
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(publish.parentSpanContext).toBeUndefined();
    expect(publish.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId }))).toEqual([ids(writer)]);
    expect(publish.links[0]?.attributes).toMatchObject({ 'event.id': eventId, 'correlation.id': 'corr-relay-1', 'causation.id': 'cause-relay-1' });
    expect(publish.attributes).toMatchObject({ 'messaging.system': 'kafka', 'batch.events': 1, 'messaging.batch.message_count': 1 });

    const handled: { event: ConsumedEvent; active: string | undefined }[] = [];
    const topic = topicOf(prefix, 'ventures');
    consumer = await startIntegrationConsumer({
      brokers,
      groupId: `tracing-${randomUUID()}`,
      topics: [topic],
      logger: silent,
      handle: (event) => {
        logger.info({ eventId: event.eventId }, 'handling an integration event');
        handled.push({ event, active: trace.getActiveSpan()?.spanContext().spanId });
        return Promise.resolve();
      },
    });
    await until(() => handled.length === 1, 60_000, 'the consumer to handle the event');
    const [received] = handled;
    expect(received?.event.eventId).toBe(eventId);
    expect(received?.event.traceparent).toBe(`00-${ids(publish).traceId}-${ids(publish).spanId}-01`);

    const processing = await spans.waitFor(`process ${topic}`);
    expect(processing.kind).toBe(SpanKind.CONSUMER);
    expect(ids(processing).traceId).toBe(ids(publish).traceId);
    expect(processing.parentSpanContext?.spanId).toBe(ids(publish).spanId);
    expect(processing.attributes).toMatchObject({ 'messaging.message.id': eventId, 'correlation.id': 'corr-relay-1', 'causation.id': 'cause-relay-1' });
    expect(received?.active).toBe(ids(processing).spanId);
    expect(lines.find((l) => l['eventId'] === eventId)).toMatchObject({ ...ids(processing), correlationId: 'corr-relay-1' });
  });
});
