import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { describeWithKafka } from '../../test/support/kafka';
import { consumeAll, checkExactlyOnceInOrder, readWholeLog, until } from '../../test/support/relay-verify';
import { writeWorkload } from '../../test/support/relay-workload';
import { createLogger } from '../infra/logger';
import { schemaRegistry } from '../shared/schemas/schema-registry';
import { PostgresEventStore } from '../write-model/event-store/postgres/postgres-event-store';
import { ValidatingEventStore } from '../write-model/event-store/validating-event-store';
import { createKafka } from './kafka-client';
import { startRelay, type RelayHandle } from './kafka-relay';
import { topicOf } from './wire';

const logger = createLogger('silent');

describeWithKafka('Kafka relay', (brokers) => {
  let db: TestDatabase;
  let store: ValidatingEventStore;
  let raw: PostgresEventStore;
  const relays: RelayHandle[] = [];
  const prefix = `test-relay-${randomUUID().slice(0, 8)}`;
  const topics = ['ventures', 'metrics', 'capital'].map((c) => topicOf(prefix, c as 'ventures'));

  beforeAll(async () => {
    db = await createTestDatabase('relay');
    raw = await PostgresEventStore.create({ connectionString: db.url });
    store = new ValidatingEventStore(raw, schemaRegistry());
  });

  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await raw.close();
    await db.drop();
  });

  const relay = async (name = 'kafka-relay'): Promise<RelayHandle> => {
    const handle = await startRelay({ databaseUrl: db.url, brokers, logger, topicPrefix: prefix, partitions: 4, name, standbyRetryMs: 200 });
    relays.push(handle);
    return handle;
  };

  it('publishes every event of the log to its context topic, keyed by stream, with the envelope in headers', async () => {
    const workload = await writeWorkload(store, { streams: 30, perStream: 5 }, 100_000);
    const first = await relay();
    await until(async () => (await first.status()).lag === 0, 30_000, 'the relay to catch up');
    const status = await first.status();
    expect(status).toMatchObject({ state: 'running', topics, messagesPublished: workload.total, kafkaRetries: 0, lastError: undefined });
    expect(status.checkpoint).toBe(status.head);

    const consumed = await consumeAll(brokers, topics, logger);
    expect(checkExactlyOnceInOrder(consumed.events, await readWholeLog(raw))).toEqual([]);
    expect(consumed.messages).toBe(workload.total);
    const registered = consumed.events.find((e) => e.type === 'ventures.VentureRegistered');
    expect(registered).toMatchObject({ topic: topics[0], schemaVersion: 1, revision: 0, tenant: 'acme', correlationId: expect.stringMatching(/^corr-/) });
    expect(registered?.key).toMatch(/^venture-/);
    expect(registered?.data).not.toHaveProperty('normalizedName');
    expect(new Set(consumed.events.map((e) => e.topic))).toEqual(new Set(topics));
  });

  it('creates its topics at start with the configured number of partitions', async () => {
    const admin = createKafka({ brokers, clientId: 'test', logger }).admin();
    await admin.connect();
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics });
      expect(found.map((t) => t.partitions.length)).toEqual([4, 4, 4]);
    } finally {
      await admin.disconnect();
    }
  });

  it('keeps its checkpoint in relay_checkpoints and resumes from it without publishing again', async () => {
    const first = relays[0];
    if (!first) throw new Error('no relay from the first test');
    const before = (await first.status()).checkpoint;
    await first.stop();
    relays.length = 0;
    const c = new Client({ connectionString: db.url });
    await c.connect();
    const row = await c.query<{ position: string }>("SELECT position FROM relay_checkpoints WHERE name = 'kafka-relay'");
    await c.end();
    expect(row.rows[0]?.position).toBe(before);

    const workload = await writeWorkload(store, { streams: 6, perStream: 2 }, 100_000);
    const second = await relay();
    await until(async () => (await second.status()).lag === 0, 30_000, 'the second relay to catch up');
    expect((await second.status()).messagesPublished).toBe(workload.total);
  });

  it('lets one instance publish: a second one with the same name stands by until the first stops', async () => {
    const active = relays[0];
    if (!active) throw new Error('no relay from the previous test');
    const standby = await relay();
    await until(async () => (await standby.status()).state === 'standby', 10_000, 'the second instance to stand by');
    await writeWorkload(store, { streams: 3, perStream: 1 }, 100_000);
    await until(async () => (await active.status()).lag === 0, 30_000, 'the active relay to publish');
    expect((await standby.status()).messagesPublished).toBe(0);

    await active.stop();
    await writeWorkload(store, { streams: 3, perStream: 1 }, 100_000);
    await until(async () => (await standby.status()).lag === 0, 30_000, 'the standby to take over');
    expect((await standby.status()).messagesPublished).toBe(3);
    const consumed = await consumeAll(brokers, topics, logger);
    expect(checkExactlyOnceInOrder(consumed.events, await readWholeLog(raw))).toEqual([]);
    expect(consumed.stats.duplicates).toBe(0);
  });
});
