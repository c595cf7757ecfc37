import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Partitioners, type Message } from 'kafkajs';
import { writeWorkload } from '../test/support/relay-workload';
import { createLogger } from '../src/infra/logger';
import { startIntegrationConsumer } from '../src/relay/consumer';
import { CONTEXTS, toIntegrationEvent } from '../src/relay/integration-events';
import { createKafka } from '../src/relay/kafka-client';
import { startRelay } from '../src/relay/kafka-relay';
import { RequestBuilder } from '../src/relay/produce-requests';
import { ensureTopics } from '../src/relay/topics';
import { toWireMessage, topicOf } from '../src/relay/wire';
import { schemaRegistry } from '../src/shared/schemas/schema-registry';
import type { StoredEvent } from '../src/write-model/event-store/event-store.port';
import { PostgresEventStore } from '../src/write-model/event-store/postgres/postgres-event-store';
import { ValidatingEventStore } from '../src/write-model/event-store/validating-event-store';
import { benchDatabase } from './harness';

const EVENTS = Number(process.env.BENCH_RELAY_EVENTS ?? 40_000);
const BATCH = Number(process.env.BENCH_RELAY_BATCH ?? 2000);
const ROUNDS = Number(process.env.BENCH_RELAY_ROUNDS ?? 5);
const logger = createLogger('warn');

interface Run {
  readonly perSecond: number;
  readonly seconds: number;
}

/** Events per second between the first and the last acknowledged batch (start-up excluded, same for both). */
const rate = (acks: readonly { at: number; events: number }[]): Run => {
  const first = acks[0];
  const last = acks[acks.length - 1];
  if (!first || !last || last === first) return { perSecond: 0, seconds: 0 };
  const events = acks.slice(1).reduce((n, a) => n + a.events, 0);
  const seconds = (last.at - first.at) / 1000;
  return { perSecond: events / seconds, seconds };
};

/** The relay's own produce requests for the log, batch by batch: what the raw producer sends. */
function payloads(log: readonly StoredEvent[], prefix: string): { topic: string; messages: Message[] }[][][] {
  const registry = schemaRegistry();
  const batches: { topic: string; messages: Message[] }[][][] = [];
  for (let i = 0; i < log.length; i += BATCH) {
    const requests = new RequestBuilder();
    for (const stored of log.slice(i, i + BATCH)) {
      const event = toIntegrationEvent(registry.upcast(stored));
      if (event) requests.add(topicOf(prefix, event.context), toWireMessage(event));
    }
    batches.push(requests.done());
  }
  return batches;
}

async function rawRun(brokers: readonly string[], log: readonly StoredEvent[]): Promise<Run> {
  const prefix = `bench-raw-${randomUUID().slice(0, 8)}`;
  const kafka = createKafka({ brokers, clientId: 'bench-raw', logger });
  await ensureTopics(kafka, CONTEXTS.map((c) => topicOf(prefix, c)), 3, logger);
  const batches = payloads(log, prefix);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const acks: { at: number; events: number }[] = [];
  for (const requests of batches) {
    for (const topicMessages of requests) await producer.sendBatch({ acks: -1, topicMessages });
    acks.push({ at: performance.now(), events: requests.flat().reduce((n, t) => n + t.messages.length, 0) });
  }
  await producer.disconnect();
  return rate(acks);
}

async function relayRun(brokers: readonly string[], databaseUrl: string, total: number): Promise<Run & { startMs: number }> {
  const acks: { at: number; events: number }[] = [];
  const started = performance.now();
  let firstAck = 0;
  const relay = await startRelay({
    databaseUrl,
    brokers,
    logger,
    name: `bench-${randomUUID()}`,
    topicPrefix: `bench-relay-${randomUUID().slice(0, 8)}`,
    batchSize: BATCH,
    onPublished: (b) => {
      firstAck ||= performance.now();
      acks.push({ at: performance.now(), events: b.messages });
    },
  });
  while (acks.reduce((n, a) => n + a.events, 0) < total) await new Promise((resolve) => setTimeout(resolve, 20));
  await relay.stop();
  return { ...rate(acks), startMs: firstAck - started };
}

/** Wall time from spawning `relay-main` (node + tsx loader) to its first acknowledged batch. */
async function relayProcessStart(brokers: readonly string[], databaseUrl: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'src', 'relay', 'relay-main.ts')], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers.join(','), RELAY_TOPIC_PREFIX: `bench-proc-${randomUUID().slice(0, 8)}`, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ms = await new Promise<number>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('"relay publishing"')) resolve(performance.now() - started);
    });
  });
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return ms;
}

async function consumerStart(brokers: readonly string[]): Promise<number> {
  const topic = topicOf(`bench-cons-${randomUUID().slice(0, 8)}`, 'ventures');
  await ensureTopics(createKafka({ brokers, clientId: 'bench', logger }), [topic], 3, logger);
  const started = performance.now();
  const consumer = await startIntegrationConsumer({
    brokers, groupId: `bench-${randomUUID()}`, topics: [topic], logger,
    handle: () => Promise.resolve(),
  });
  await consumer.joined;
  const ms = performance.now() - started;
  await consumer.stop();
  return ms;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/**
 * Relay throughput (log -> acknowledged Kafka writes) next to a raw kafkajs producer sending the same messages in the
 * same batches with the same settings (idempotent, maxInFlightRequests 1, acks -1), alternating, same broker; and
 * the start-up time of the relay and of the consumer helper.
 */
export async function relayBench(): Promise<string> {
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const db = await benchDatabase();
  try {
    const raw = await PostgresEventStore.create({ connectionString: db.url });
    const workload = await writeWorkload(new ValidatingEventStore(raw, schemaRegistry()), { streams: EVENTS / 40, perStream: 40 }, 1_000_000);
    const log: StoredEvent[] = [];
    for (let batch = await raw.readAll({ maxCount: 10_000 }); batch.length > 0; batch = await raw.readAll({ after: log[log.length - 1]?.position, maxCount: 10_000 })) {
      log.push(...batch);
    }
    const raws: Run[] = [];
    const relays: (Run & { startMs: number })[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      raws.push(await rawRun(brokers, log));
      relays.push(await relayRun(brokers, db.url, workload.total));
    }
    const processStart = await relayProcessStart(brokers, db.url);
    const consumerJoin = await consumerStart(brokers);
    await raw.close();
    const rawRate = median(raws.map((r) => r.perSecond));
    const relayRate = median(relays.map((r) => r.perSecond));
    // each relay run follows its raw run: the ratio of the pair is the least disturbed by a noisy machine
    const ratio = median(relays.map((r, i) => r.perSecond / (raws[i]?.perSecond ?? Infinity)));
    const fmt = (runs: readonly Run[]): string => runs.map((r) => r.perSecond.toFixed(0)).join(', ');
    return [
      `## Kafka relay (${workload.total} events in ${log.length - workload.total} + ${workload.total} log events, batches of ${BATCH}, ${ROUNDS} alternating rounds)\n`,
      '| what | events/s (median) | runs | ratio to raw |',
      '|---|---:|---|---:|',
      `| raw kafkajs producer: the same produce requests, idempotent, maxInFlightRequests 1, acks -1 | ${rawRate.toFixed(0)} | ${fmt(raws)} | 1.00 (baseline) |`,
      `| relay: log read + upcast + translate + validate + sendBatch + checkpoint | ${relayRate.toFixed(0)} | ${fmt(relays)} | ${ratio.toFixed(2)} (median of the ${ROUNDS} pairs) |`,
      '',
      '| start-up | ms |',
      '|---|---:|',
      `| startRelay() in process to first acknowledged batch (migrations, lease, topics, producer), median | ${median(relays.map((r) => r.startMs)).toFixed(0)} |`,
      `| relay-main child process (node + tsx loader) to publishing | ${processStart.toFixed(0)} |`,
      `| consumer helper: start to group joined | ${consumerJoin.toFixed(0)} |`,
      '',
    ].join('\n');
  } finally {
    await db.drop();
  }
}
