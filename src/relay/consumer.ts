import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { Partitioners, type Consumer, type EachMessagePayload, type IHeaders, type Producer } from 'kafkajs';
import type { Logger } from '../infra/logger';
import { contextFromTraceparent, inSpan } from '../infra/observability/tracing';
import { schemaRegistry, type SchemaRegistry } from '../shared/schemas/schema-registry';
import { SchemaValidationError } from '../shared/schemas/schema-validation-error';
import { InMemoryDedupe, type DedupeStore } from './dedupe';
import { createKafka } from './kafka-client';
import { ensureTopics, waitForTopics } from './topics';
import { deadLetterTopicOf, DLQ_HEADER, parseEnvelope, type ReceivedEnvelope } from './wire';

/** An integration event that passed its envelope and schema checks and was not seen before. */
export interface ConsumedEvent extends ReceivedEnvelope {
  readonly key: string | undefined;
  readonly data: Record<string, unknown>;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface IntegrationConsumerOptions {
  readonly brokers: readonly string[];
  readonly groupId: string;
  /** Integration event topics (`gedsi.ventures`, ...); their `<topic>.dlq` are created at start. */
  readonly topics: readonly string[];
  readonly logger: Logger;
  /**
   * Called once per new event, in order within a key. Throwing leaves the message unmarked and uncommitted:
   * kafkajs redelivers it (and what follows in its partition) after a backoff, so order is kept.
   */
  readonly handle: (event: ConsumedEvent) => Promise<void>;
  readonly schemas?: SchemaRegistry;
  /** Default: `InMemoryDedupe` (see its caveat). */
  readonly dedupe?: DedupeStore;
  /** Where a new group starts; default true (the whole topic). */
  readonly fromBeginning?: boolean;
  /** Partitions handled at once (each one still in order); default 1. */
  readonly partitionsConsumedConcurrently?: number;
  readonly clientId?: string;
}

export interface ConsumerStats {
  readonly handled: number;
  readonly duplicates: number;
  readonly deadLettered: number;
}

export interface IntegrationConsumer {
  /** Resolves once this member has joined its group and got its partitions. */
  readonly joined: Promise<void>;
  stats(): ConsumerStats;
  stop(): Promise<void>;
}

const MAX_REASON = 1000;

/** Why a message cannot be handled: it goes to `<topic>.dlq` with this reason, and the consumer carries on. */
class PoisonMessage extends Error {}

function parseValue(value: Buffer | null): Record<string, unknown> {
  if (value === null) throw new PoisonMessage('empty message value');
  let data: unknown;
  try {
    data = JSON.parse(value.toString('utf8'));
  } catch (error) {
    throw new PoisonMessage(`value is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new PoisonMessage('value is not a JSON object');
  return data as Record<string, unknown>;
}

/**
 * A consumer-group member for downstream services (and this repository's tests): it checks each message's
 * envelope (headers) and value against the integration event's JSON Schema, drops events already handled
 * (dedupe by `eventId`: delivery is at least once), keeps per-key order (one partition at a time, in offset
 * order) and moves poison messages to `<topic>.dlq` with a `reason` header instead of stopping.
 */
export async function startIntegrationConsumer(options: IntegrationConsumerOptions): Promise<IntegrationConsumer> {
  const log = options.logger.child({ component: 'integration-consumer', groupId: options.groupId });
  const schemas = options.schemas ?? schemaRegistry();
  const dedupe = options.dedupe ?? new InMemoryDedupe();
  const kafka = createKafka({ brokers: options.brokers, clientId: options.clientId ?? `consumer-${randomUUID().slice(0, 8)}`, logger: log });
  await ensureTopics(kafka, options.topics.map(deadLetterTopicOf), 1, log);
  await waitForTopics(kafka, options.topics, log);
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  const consumer: Consumer = kafka.consumer({ groupId: options.groupId });
  const stats = { handled: 0, duplicates: 0, deadLettered: 0 };
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));

  const deadLetter = async ({ topic, partition, message }: EachMessagePayload, reason: string): Promise<void> => {
    const headers: IHeaders = {
      ...message.headers,
      [DLQ_HEADER.reason]: reason.slice(0, MAX_REASON),
      [DLQ_HEADER.originalTopic]: topic,
      [DLQ_HEADER.originalPartition]: String(partition),
      [DLQ_HEADER.originalOffset]: message.offset,
    };
    await producer.send({ topic: deadLetterTopicOf(topic), acks: -1, messages: [{ key: message.key, value: message.value, headers }] });
    stats.deadLettered += 1;
    log.warn({ topic, partition, offset: message.offset, reason }, 'message moved to the dead-letter topic');
  };

  const eachMessage = async (payload: EachMessagePayload): Promise<void> => {
    const { topic, partition, message } = payload;
    const envelope = parseEnvelope(message.headers);
    if ('problem' in envelope) return deadLetter(payload, `bad envelope: ${envelope.problem}`);
    if (await dedupe.has(envelope.eventId)) {
      stats.duplicates += 1;
      return;
    }
    let data: Record<string, unknown>;
    try {
      data = parseValue(message.value);
      schemas.validateIntegrationEvent(envelope.type, envelope.schemaVersion, data);
    } catch (error) {
      if (error instanceof PoisonMessage) return deadLetter(payload, error.message);
      if (error instanceof SchemaValidationError) return deadLetter(payload, `schema: ${error.message}`);
      throw error;
    }
    const key = message.key?.toString('utf8');
    const attributes = {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': topic,
      'messaging.destination.partition.id': String(partition),
      'messaging.kafka.offset': Number(message.offset),
      'messaging.message.id': envelope.eventId,
      'event.type': envelope.type,
      'correlation.id': envelope.correlationId,
      'causation.id': envelope.causationId,
    };
    // A child of the relay's publish span when the message carries its `traceparent`, else a new trace.
    const handled = (): Promise<void> => options.handle({ ...envelope, key, data, topic, partition, offset: message.offset });
    const parent = contextFromTraceparent(envelope.traceparent);
    await inSpan(`process ${topic}`, attributes, handled, { kind: SpanKind.CONSUMER, parent, correlationId: envelope.correlationId });
    await dedupe.add(envelope.eventId);
    stats.handled += 1;
  };

  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
  await consumer.run({ partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1, eachMessage });
  return {
    joined,
    stats: () => ({ ...stats }),
    stop: async () => {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}
