import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { describeWithKafka, killBroker, startBroker } from '../../test/support/kafka';
import { checkExactlyOnceInOrder, consumeAll, readWholeLog, until } from '../../test/support/relay-verify';
import { writeWorkload } from '../../test/support/relay-workload';
import { createLogger } from '../infra/logger';
import { schemaRegistry } from '../shared/schemas/schema-registry';
import { PostgresEventStore } from '../write-model/event-store/postgres/postgres-event-store';
import { ValidatingEventStore } from '../write-model/event-store/validating-event-store';
import { startRelay } from './kafka-relay';
import { CONTEXTS } from './integration-events';
import { topicOf } from './wire';

const logger = createLogger('silent');
const REPO_ROOT = join(__dirname, '..', '..');
/** 10,000 published events: 250 streams of 40, interleaved in the log, appended at about 1,000 per second. */
const WORKLOAD = { streams: 250, perStream: 40 };
const RATE = 1000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Log events at or below the position (the relay's progress, whatever process it runs in). */
async function eventsUpTo(db: TestDatabase, position: string | undefined): Promise<number> {
  if (position === undefined) return 0;
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    const res = await c.query<{ n: string }>('SELECT count(*) AS n FROM es_events WHERE position <= $1', [position]);
    return Number(res.rows[0]?.n);
  } finally {
    await c.end();
  }
}

async function checkpointOf(db: TestDatabase): Promise<string | undefined> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    const res = await c.query<{ position: string }>("SELECT position FROM relay_checkpoints WHERE name = 'kafka-relay'");
    return res.rows[0]?.position;
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return undefined; // the relay has not migrated yet
    throw error;
  } finally {
    await c.end();
  }
}

describeWithKafka(
  'Kafka relay under faults (10,000 events)',
  (brokers) => {
    let db: TestDatabase;
    let raw: PostgresEventStore;
    let store: ValidatingEventStore;
    let topics: string[];
    let prefix: string;

    beforeEach(async () => {
      db = await createTestDatabase('relay_faults');
      raw = await PostgresEventStore.create({ connectionString: db.url });
      store = new ValidatingEventStore(raw, schemaRegistry());
      prefix = `test-faults-${randomUUID().slice(0, 8)}`;
      topics = CONTEXTS.map((c) => topicOf(prefix, c));
    });

    afterEach(async () => {
      await startBroker(); // whatever happened, leave a running broker behind for the other tests
      await raw.close();
      await db.drop();
    });

    it('survives a kill -9 of the broker mid-stream: retries with backoff, holds its checkpoint, loses and reorders nothing', async () => {
      const relay = await startRelay({
        databaseUrl: db.url,
        brokers,
        logger,
        topicPrefix: prefix,
        batchSize: 200,
        backoff: { initialMs: 100, maxMs: 2000 },
      });
      const writing = writeWorkload(store, WORKLOAD, RATE);
      try {
        await until(async () => (await relay.status()).eventsRelayed >= 2500, 60_000, '2,500 events relayed');

        await killBroker();
        await sleep(1500); // a batch acknowledged just before the kill may still be checkpointing
        const held = await relay.status();
        await sleep(3000);
        const during = await relay.status();
        expect(during.checkpoint).toBe(held.checkpoint); // nothing acknowledged, nothing checkpointed
        expect(during.state).toBe('retrying');
        expect(during.kafkaRetries).toBeGreaterThan(held.kafkaRetries); // still trying, with backoff (bounded count)
        expect(during.kafkaRetries).toBeLessThan(60);
        const restartSeconds = await startBroker();

        const workload = await writing;
        await until(async () => (await relay.status()).lag === 0, 120_000, 'the relay to catch up after the broker restart');
        const after = await relay.status();
        expect(after.state).toBe('running');
        await relay.stop();

        const consumed = await consumeAll(brokers, topics, logger);
        expect(checkExactlyOnceInOrder(consumed.events, await readWholeLog(raw))).toEqual([]);
        expect(consumed.events).toHaveLength(workload.total);
        process.stdout.write(
          `[relay faults] broker kill: checkpoint held at ${held.checkpoint} while down, ${after.kafkaRetries} send attempts failed, ` +
            `broker restart ${restartSeconds.toFixed(1)} s, ${consumed.messages} messages for ${workload.total} events ` +
            `(${consumed.stats.duplicates} duplicates dropped)\n`,
        );
      } finally {
        await relay.stop();
        await writing.catch(() => undefined);
      }
    });

    it('survives a kill -9 of the relay process mid-stream (twice): the restarted relay resumes from the checkpoint', async () => {
      const env = {
        ...process.env,
        DATABASE_URL: db.url,
        KAFKA_BROKERS: brokers.join(','),
        RELAY_TOPIC_PREFIX: prefix,
        RELAY_BATCH_SIZE: '200',
        LOG_LEVEL: 'warn',
      };
      const launch = (): ChildProcess =>
        // node itself with tsx as a loader (not the tsx CLI, which forks): the pid killed is the relay's
        spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'relay', 'relay-main.ts')], { cwd: REPO_ROOT, env, stdio: 'inherit' });
      const exited = (child: ChildProcess): Promise<number | null> =>
        child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

      let child = launch();
      const writing = writeWorkload(store, WORKLOAD, RATE);
      try {
        const kills: number[] = [];
        for (const at of [2500, 6000]) {
          await until(async () => (await eventsUpTo(db, await checkpointOf(db))) >= at, 90_000, `${at} events checkpointed`);
          child.kill('SIGKILL');
          await exited(child);
          kills.push(await eventsUpTo(db, await checkpointOf(db)));
          child = launch();
        }
        const workload = await writing;
        const head = await raw.headPosition();
        await until(async () => (await checkpointOf(db)) === head, 120_000, 'the restarted relay to catch up');
        child.kill('SIGTERM');
        expect(await exited(child)).toBe(0);

        const consumed = await consumeAll(brokers, topics, logger);
        expect(checkExactlyOnceInOrder(consumed.events, await readWholeLog(raw))).toEqual([]);
        expect(consumed.events).toHaveLength(workload.total);
        process.stdout.write(
          `[relay faults] relay kills at ${kills.join(' and ')} checkpointed events: ${consumed.messages} messages for ` +
            `${workload.total} events (${consumed.stats.duplicates} duplicates dropped)\n`,
        );
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await writing.catch(() => undefined);
      }
    });
  },
  { localProcess: true },
);
