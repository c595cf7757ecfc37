import { randomUUID } from 'node:crypto';
import { SpanKind, type Span } from '@opentelemetry/api';
import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import type { Logger } from '../infra/logger';
import { linksToWriters } from '../infra/observability/event-links';
import { currentTraceparent, inSpan } from '../infra/observability/tracing';
import { schemaRegistry, type SchemaRegistry } from '../shared/schemas/schema-registry';
import type { EventStore, StoredEvent } from '../write-model/event-store/event-store.port';
import { PostgresEventStore } from '../write-model/event-store/postgres/postgres-event-store';
import { backoffDelay, DEFAULT_BACKOFF, Sleeper } from './backoff';
import { CONTEXTS, toIntegrationEvent } from './integration-events';
import { createKafka } from './kafka-client';
import { errorText, producerStateLost } from './kafka-errors';
import { RelayLease, RelayLeaseLostError } from './relay-lease';
import { RequestBuilder } from './produce-requests';
import { migrateRelay } from './relay-migrations';
import type { RelayHandle, RelayOptions, RelayState, RelayStatus } from './relay-types';
import { ensureTopics } from './topics';
import { DEFAULT_TOPIC_PREFIX, toWireMessage, topicOf } from './wire';

export type { PublishedBatch, RelayHandle, RelayOptions, RelayState, RelayStatus } from './relay-types';

class RelayStoppedError extends Error {
  constructor() {
    super('relay stopping');
    this.name = 'RelayStoppedError';
  }
}

/**
 * Publishes the log as integration events, at least once and in log order: it reads the log after its
 * checkpoint, sends each batch with an idempotent producer (`acks: -1`), and moves the checkpoint only after the
 * broker acknowledged the whole batch. A Kafka failure is retried with exponential backoff, with the same
 * producer (so the broker drops what it had already written) and without moving the checkpoint; the batch
 * handler does not return before the acknowledgement, so the log subscription never runs ahead of the broker.
 * One instance publishes at a time (`RelayLease`); the others wait on standby.
 */
class KafkaRelay {
  private state: RelayState = 'starting';
  private stopping = false;
  private readonly sleeper = new Sleeper();
  private readonly kafka: Kafka;
  private readonly name: string;
  private readonly prefix: string;
  private readonly topics: readonly string[];
  private lease: RelayLease | undefined;
  private producer: Producer | undefined;
  private topicsReady = false;
  private endSession: (() => Promise<void>) | undefined;
  private abortSession: ((error: unknown) => void) | undefined;
  /** The write of the last acknowledged batch's checkpoint, overlapping the read of the next batch. */
  private checkpointing: Promise<void> = Promise.resolve();
  private checkpoint: string | undefined;
  private eventsRelayed = 0;
  private messagesPublished = 0;
  private kafkaRetries = 0;
  private lastError: string | undefined;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: RelayOptions,
    private readonly store: EventStore,
    private readonly schemas: SchemaRegistry,
    private readonly log: Logger,
  ) {
    this.name = options.name ?? 'kafka-relay';
    this.prefix = options.topicPrefix ?? DEFAULT_TOPIC_PREFIX;
    this.topics = CONTEXTS.map((context) => topicOf(this.prefix, context));
    this.kafka = createKafka({ brokers: options.brokers, clientId: options.clientId ?? `relay-${randomUUID().slice(0, 8)}`, logger: log });
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeper.wake();
    await this.endSession?.();
    await this.loop;
  }

  async status(): Promise<RelayStatus> {
    const head = await this.store.headPosition().catch(() => undefined);
    const numeric = (p: string | undefined): boolean => p === undefined || /^[0-9]+$/.test(p);
    const lag =
      head !== undefined && numeric(head) && numeric(this.checkpoint) ? Number(BigInt(head) - BigInt(this.checkpoint ?? '0')) : undefined;
    return {
      name: this.name,
      state: this.state,
      topics: this.topics,
      checkpoint: this.checkpoint,
      head,
      lag: head === undefined ? 0 : lag,
      eventsRelayed: this.eventsRelayed,
      messagesPublished: this.messagesPublished,
      kafkaRetries: this.kafkaRetries,
      lastError: this.lastError,
    };
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        if (!this.lease?.held) {
          await this.lease?.release();
          this.lease = await this.acquireLease();
          if (this.lease === undefined) break;
        }
        await this.session(this.lease);
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        this.state = 'retrying';
        this.lastError = errorText(error);
        const delay = backoffDelay(failures, this.options.backoff ?? DEFAULT_BACKOFF);
        this.log.error({ err: error, attempt: failures, retryInMs: delay }, 'relay session failed; restarting from the checkpoint');
        await this.sleeper.sleep(delay);
      }
    }
    await this.checkpointing.catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await this.lease?.release();
    this.state = 'stopped';
  }

  /** Waits until this instance holds the lease; undefined when stopped first. */
  private async acquireLease(): Promise<RelayLease | undefined> {
    let announced = false;
    while (!this.stopping) {
      const lease = await RelayLease.tryAcquire(this.options.databaseUrl, this.name, (error) =>
        this.log.warn({ err: error }, 'relay lease session error'),
      );
      if (lease !== undefined) {
        this.log.info({ relay: this.name }, 'relay lease acquired');
        return lease;
      }
      if (!announced) this.log.info({ relay: this.name }, 'another relay instance holds the lease: standing by');
      announced = true;
      this.state = 'standby';
      await this.sleeper.sleep(this.options.standbyRetryMs ?? 1000);
    }
    return undefined;
  }

  /** Publishes from the checkpoint until stopped or until something other than Kafka fails. */
  private async session(lease: RelayLease): Promise<void> {
    if (!this.topicsReady) {
      await ensureTopics(this.kafka, this.topics, this.options.partitions ?? 3, this.log);
      this.topicsReady = true;
    }
    await this.connectedProducer();
    await this.checkpointing.catch(() => undefined);
    this.checkpoint = await lease.checkpoint();
    this.state = 'running';
    this.log.info({ relay: this.name, checkpoint: this.checkpoint ?? null, topics: this.topics }, 'relay publishing');
    await new Promise<void>((resolve, reject) => {
      let failed: unknown;
      const subscription = this.store.subscribe({
        ...(this.checkpoint !== undefined && { after: this.checkpoint }),
        batchSize: this.options.batchSize ?? 2000,
        onEvents: async (events) => {
          try {
            await this.publish(events, lease);
          } catch (error) {
            failed = error;
            throw error;
          }
        },
        onError: (error) => {
          if (failed !== undefined) reject(failed instanceof Error ? failed : error);
          else this.log.warn({ err: error }, 'reading the log failed; the subscription retries');
        },
      });
      this.endSession = async () => {
        await subscription.close();
        resolve();
      };
      this.abortSession = (error) => {
        reject(error instanceof Error ? error : new Error(String(error)));
        void subscription.close();
      };
      if (this.stopping) void this.endSession();
    });
  }

  private async publish(events: readonly StoredEvent[], lease: RelayLease): Promise<void> {
    // The previous batch's checkpoint was written while this batch was read; it lands before this one's.
    await this.checkpointing;
    const attributes = {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'relay.name': this.name,
      'batch.events': events.length,
      'batch.from_position': events[0]?.position,
      'batch.to_position': events[events.length - 1]?.position,
    };
    // One PRODUCER span per batch, in its own trace, linked to the spans that wrote the events; every message
    // carries its `traceparent`, so a consumer's span is its child.
    await inSpan('relay publish', attributes, (span) => this.publishBatch(events, lease, span), {
      root: true,
      kind: SpanKind.PRODUCER,
      links: linksToWriters(events),
    });
  }

  private async publishBatch(events: readonly StoredEvent[], lease: RelayLease, span: Span): Promise<void> {
    const traceparent = currentTraceparent();
    const requests = new RequestBuilder();
    for (const stored of events) {
      // Stored events were validated on append; older versions are upcast (and validated), and what is
      // published is validated against its integration schema below, so nothing malformed leaves.
      const current = stored.schemaVersion === this.schemas.currentVersion(stored.type) ? stored : this.schemas.upcast(stored);
      const event = toIntegrationEvent(current);
      if (event === undefined) continue;
      this.schemas.validateIntegrationEvent(event.type, event.schemaVersion, event.data);
      requests.add(topicOf(this.prefix, event.context), toWireMessage(event, traceparent));
    }
    const last = events[events.length - 1];
    if (last === undefined) return;
    // in log order, one request after the other: per-key order holds across requests too
    for (const request of requests.done()) await this.send(request, lease);
    const count = requests.messages;
    span.setAttribute('messaging.batch.message_count', count);
    this.eventsRelayed += events.length;
    this.messagesPublished += count;
    const batch = { events: events.length, messages: count, position: last.position };
    this.checkpointing = lease.saveCheckpoint(last.position).then(() => {
      this.checkpoint = last.position;
      this.options.onPublished?.(batch);
    });
    this.checkpointing.catch((error: unknown) => this.abortSession?.(error));
  }

  /** Returns once the broker acknowledged every message (all in-sync replicas); retries until then. */
  private async send(topicMessages: { topic: string; messages: Message[] }[], lease: RelayLease): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.stopping) throw new RelayStoppedError();
      if (!lease.held) throw new RelayLeaseLostError(this.name);
      try {
        const producer = await this.connectedProducer();
        await producer.sendBatch({ acks: -1, topicMessages });
        if (attempt > 1) this.log.info({ attempts: attempt }, 'kafka reachable again: batch acknowledged');
        this.state = 'running';
        return;
      } catch (error) {
        this.kafkaRetries += 1;
        this.lastError = errorText(error);
        this.state = 'retrying';
        if (producerStateLost(error)) await this.resetProducer();
        const delay = backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF);
        if (attempt === 1 || attempt % 10 === 0) {
          this.log.warn({ err: error, attempt, retryInMs: delay }, 'kafka send failed; retrying the batch, checkpoint unchanged');
        }
        await this.sleeper.sleep(delay);
      }
    }
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer !== undefined) return this.producer;
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      // bounded so that a send fails back to our loop (status, stop, lease checks) instead of retrying inside kafkajs
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  /** A new producer id: what the old one sent but never saw acknowledged may be written twice (consumers dedupe). */
  private async resetProducer(): Promise<void> {
    const old = this.producer;
    this.producer = undefined;
    this.log.warn('kafka producer state lost: starting a new idempotent producer');
    await old?.disconnect().catch(() => undefined);
  }
}

/** Starts the relay role: migrations, then publishing in the background; `stop()` finishes the batch in flight. */
export async function startRelay(options: RelayOptions): Promise<RelayHandle> {
  await migrateRelay(options.databaseUrl);
  const log = options.logger.child({ component: 'kafka-relay' });
  const owned = options.store === undefined;
  const store =
    options.store ??
    (await PostgresEventStore.create({
      connectionString: options.databaseUrl,
      poolSize: 2,
      onBackgroundError: (error) => log.warn({ err: error }, 'event store background error'),
    }));
  const relay = new KafkaRelay(options, store, options.schemas ?? schemaRegistry(), log);
  relay.start();
  let stopped: Promise<void> | undefined;
  return {
    status: () => relay.status(),
    stop: () =>
      (stopped ??= (async () => {
        await relay.stop();
        if (owned) await store.close();
      })()),
  };
}
