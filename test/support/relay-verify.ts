import { randomUUID } from 'node:crypto';
import type { Logger } from '../../src/infra/logger';
import { NOT_PUBLISHED } from '../../src/relay/integration-events';
import { createKafka } from '../../src/relay/kafka-client';
import { startIntegrationConsumer, type ConsumedEvent, type ConsumerStats } from '../../src/relay/consumer';
import type { EventStore, StoredEvent } from '../../src/write-model/event-store/event-store.port';

export interface Consumed {
  /** Events the handler got, in the order it got them. */
  readonly events: readonly ConsumedEvent[];
  readonly stats: ConsumerStats;
  /** Messages in the topics (duplicates included). */
  readonly messages: number;
}

/** Sum of the high watermarks of the topics: every message ever written to them. */
export async function messagesIn(brokers: readonly string[], topics: readonly string[], logger: Logger): Promise<number> {
  const admin = createKafka({ brokers, clientId: 'verify', logger }).admin();
  await admin.connect();
  try {
    let total = 0;
    for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high) - Number(p.low);
    return total;
  } finally {
    await admin.disconnect();
  }
}

/** Reads the topics from the beginning with a new consumer group (the helper under test) until every message was seen. */
export async function consumeAll(brokers: readonly string[], topics: readonly string[], logger: Logger, timeoutMs = 120_000): Promise<Consumed> {
  const messages = await messagesIn(brokers, topics, logger);
  const events: ConsumedEvent[] = [];
  const consumer = await startIntegrationConsumer({
    brokers,
    groupId: `verify-${randomUUID()}`,
    topics,
    logger,
    partitionsConsumedConcurrently: 3,
    handle: (event) => {
      events.push(event);
      return Promise.resolve();
    },
  });
  try {
    const deadline = Date.now() + timeoutMs;
    const seen = (): number => {
      const s = consumer.stats();
      return s.handled + s.duplicates + s.deadLettered;
    };
    while (seen() < messages) {
      if (Date.now() > deadline) throw new Error(`consumed ${seen()} of ${messages} messages in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { events, stats: consumer.stats(), messages };
  } finally {
    await consumer.stop();
  }
}

/** What a downstream consumer must end with: every published event of the log once, each stream in revision order. */
export function checkExactlyOnceInOrder(consumed: readonly ConsumedEvent[], log: readonly StoredEvent[]): string[] {
  const problems: string[] = [];
  const published = log.filter((e) => !Object.hasOwn(NOT_PUBLISHED, e.type));
  const ids = new Map<string, number>();
  for (const e of consumed) ids.set(e.eventId, (ids.get(e.eventId) ?? 0) + 1);
  const twice = [...ids].filter(([, n]) => n > 1);
  if (twice.length > 0) problems.push(`${twice.length} events handled more than once`);
  const missing = published.filter((e) => !ids.has(e.eventId));
  if (missing.length > 0) problems.push(`${missing.length} events of the log never arrived (first: ${missing[0]?.streamId}@${missing[0]?.revision})`);
  const publishedIds = new Set(published.map((e) => e.eventId));
  const extra = [...ids.keys()].filter((id) => !publishedIds.has(id));
  if (extra.length > 0) problems.push(`${extra.length} events arrived that the log does not publish`);
  const byStream = new Map<string, number[]>();
  for (const e of consumed) byStream.set(e.key ?? '', [...(byStream.get(e.key ?? '') ?? []), e.revision ?? -1]);
  for (const [stream, revisions] of byStream) {
    if (!revisions.every((r, i) => r === i)) problems.push(`stream ${stream} arrived out of order: ${revisions.slice(0, 20).join(',')}`);
  }
  return problems;
}

/** The whole log, in order. */
export async function readWholeLog(store: EventStore): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for (;;) {
    const batch = await store.readAll({ ...(all.length > 0 && { after: all[all.length - 1]?.position }), maxCount: 10_000 });
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

export async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
