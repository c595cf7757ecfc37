import { randomUUID } from 'node:crypto';
import { Partitioners, type Producer } from 'kafkajs';
import { describeWithKafka } from '../../test/support/kafka';
import { until } from '../../test/support/relay-verify';
import { createLogger } from '../infra/logger';
import { startIntegrationConsumer, type ConsumedEvent, type IntegrationConsumer } from './consumer';
import { createKafka } from './kafka-client';
import { ensureTopics } from './topics';
import { deadLetterTopicOf, HEADER } from './wire';

const logger = createLogger('silent');

/** A valid `ventures.VentureStageChanged` v1 message of `venture-<key>` at `revision`. */
function message(key: string, revision: number, eventId: string = randomUUID()): { key: string; value: string; headers: Record<string, string> } {
  return {
    key,
    value: JSON.stringify({ ventureId: '3f1c2b9e-8a4d-4c6e-9f1a-2b3c4d5e6f70', previousStage: 'IDEA', stage: 'SEED' }),
    headers: {
      [HEADER.eventId]: eventId,
      [HEADER.type]: 'ventures.VentureStageChanged',
      [HEADER.schemaVersion]: '1',
      [HEADER.correlationId]: `corr-${key}-${revision}`,
      [HEADER.revision]: String(revision),
      [HEADER.tenant]: 'acme',
    },
  };
}

describeWithKafka('integration event consumer helper', (brokers) => {
  const kafka = createKafka({ brokers, clientId: 'consumer-test', logger });
  let producer: Producer;
  let topic: string;
  let consumer: IntegrationConsumer | undefined;

  beforeAll(async () => {
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  });

  beforeEach(async () => {
    topic = `test-consumer-${randomUUID().slice(0, 8)}.ventures`;
    await ensureTopics(kafka, [topic], 3, logger);
  });

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
  });

  afterAll(async () => {
    await producer.disconnect();
  });

  const consume = async (handle: (event: ConsumedEvent) => Promise<void>): Promise<IntegrationConsumer> => {
    consumer = await startIntegrationConsumer({ brokers, groupId: `test-${randomUUID()}`, topics: [topic], logger, handle, partitionsConsumedConcurrently: 3 });
    return consumer;
  };

  it('hands each event over once (dedupe by eventId) and each key in order, across partitions', async () => {
    const keys = Array.from({ length: 6 }, (_, i) => `venture-${i}-${randomUUID()}`);
    const sent = keys.map((key) => Array.from({ length: 20 }, (_, r) => message(key, r)));
    await producer.send({ topic, acks: -1, messages: sent.flat() });
    // a relay restarted from an older checkpoint publishes a stretch again, with the same event ids
    await producer.send({ topic, acks: -1, messages: sent.flatMap((list) => list.slice(5, 12)) });

    const got: ConsumedEvent[] = [];
    const helper = await consume(async (event) => {
      got.push(event);
      return Promise.resolve();
    });
    await until(() => helper.stats().handled + helper.stats().duplicates === 6 * 27, 60_000, 'every message');
    expect(helper.stats()).toEqual({ handled: 120, duplicates: 42, deadLettered: 0 });
    expect(new Set(got.map((e) => e.eventId)).size).toBe(120);
    for (const key of keys) expect(got.filter((e) => e.key === key).map((e) => e.revision)).toEqual([...Array(20).keys()]);
    expect(new Set(got.map((e) => e.partition)).size).toBeGreaterThan(1);
  });

  it('moves a message that is not JSON, fails its schema or has no valid envelope to <topic>.dlq with the reason, and carries on', async () => {
    const key = `venture-${randomUUID()}`;
    const notJson = { ...message(key, 1), value: '{"ventureId": "3f1c' };
    const badSchema = { ...message(key, 1), value: JSON.stringify({ ventureId: 'not-a-uuid', previousStage: 'IDEA', stage: 'SEED', normalizedName: 'x' }) };
    const noEventId = message(key, 1);
    delete noEventId.headers[HEADER.eventId];
    const unknownType = { ...message(key, 1), headers: { ...message(key, 1).headers, [HEADER.type]: 'ventures.VentureDeleted' } };
    await producer.send({ topic, acks: -1, messages: [message(key, 0), notJson, badSchema, noEventId, unknownType, message(key, 1), message(key, 2)] });

    const got: ConsumedEvent[] = [];
    const helper = await consume(async (event) => {
      got.push(event);
      return Promise.resolve();
    });
    await until(() => helper.stats().handled === 3 && helper.stats().deadLettered === 4, 60_000, 'three events and four dead letters');
    expect(got.map((e) => e.revision)).toEqual([0, 1, 2]);

    const dead: { reason: string; originalOffset: string; value: string; originalTopic: string }[] = [];
    const reader = kafka.consumer({ groupId: `dlq-${randomUUID()}` });
    await reader.connect();
    await reader.subscribe({ topic: deadLetterTopicOf(topic), fromBeginning: true });
    await reader.run({
      eachMessage: ({ message: m }) => {
        const h = (name: string): string => m.headers?.[name]?.toString() ?? '';
        dead.push({ reason: h('reason'), originalOffset: h('originalOffset'), originalTopic: h('originalTopic'), value: m.value?.toString() ?? '' });
        return Promise.resolve();
      },
    });
    try {
      await until(() => dead.length === 4, 30_000, 'four dead letters');
    } finally {
      await reader.disconnect();
    }
    dead.sort((a, b) => Number(a.originalOffset) - Number(b.originalOffset));
    expect(dead.map((d) => d.originalOffset)).toEqual(['1', '2', '3', '4']);
    expect(dead.every((d) => d.originalTopic === topic)).toBe(true);
    expect(dead[0]?.reason).toMatch(/^value is not valid JSON: /);
    expect(dead[0]?.value).toBe(notJson.value);
    expect(dead[1]?.reason).toBe(
      'schema: ventures.VentureStageChanged v1: /normalizedName is not an allowed property; /ventureId must match format "uuid"',
    );
    expect(dead[2]?.reason).toBe('bad envelope: header eventId must be a UUID');
    expect(dead[3]?.reason).toBe('schema: ventures.VentureDeleted v1: unknown integration event type');
  });

  it('redelivers an event whose handler failed instead of skipping it, keeping the order of its key', async () => {
    const key = `venture-${randomUUID()}`;
    await producer.send({ topic, acks: -1, messages: [0, 1, 2, 3].map((r) => message(key, r)) });
    const got: number[] = [];
    let failures = 0;
    const helper = await consume(async (event) => {
      if (event.revision === 2 && failures++ < 2) throw new Error('downstream database unavailable');
      got.push(event.revision ?? -1);
      return Promise.resolve();
    });
    await until(() => helper.stats().handled === 4, 60_000, 'four events');
    expect(got).toEqual([0, 1, 2, 3]);
    expect(failures).toBe(3);
  });
});
