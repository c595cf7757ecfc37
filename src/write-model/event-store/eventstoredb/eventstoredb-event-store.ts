import { createHash } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
} from '@eventstore/db-client';
import {
  assertValidStreamId,
  EventStoreArgumentError,
  WrongExpectedRevisionError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port';
import { decodePosition, encodePosition, OCCURRED_AT_KEY, SCHEMA_VERSION_KEY, toStoredEvent } from './esdb-mapping';
import { EsdbSubscription } from './esdb-subscription';

/**
 * The production adapter. EventStoreDB gives the global order and the optimistic concurrency natively.
 * Idempotency: callers derive event ids from the command id, so EventStoreDB's own idempotent-write check
 * absorbs a retried append; the result of a keyed append is also recorded in an `idempotency-<hash>` stream
 * so a repeat after the stream moved on returns the first result (written after the append: a crash in
 * between leaves only the event-id check, which covers retries at the same expected revision).
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<Subscription>();

  private constructor(private readonly client: EventStoreDBClient) {}

  static async connect(connectionString: string): Promise<EventStoreDbEventStore> {
    const client = EventStoreDBClient.connectionString(connectionString);
    const store = new EventStoreDbEventStore(client);
    await store.headPosition();
    return store;
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision, options?: AppendOptions): Promise<AppendResult> {
    assertValidStreamId(streamId);
    if (events.length === 0) throw new EventStoreArgumentError('an append carries at least one event');
    const keyStream = options?.idempotencyKey ? idempotencyStream(options.idempotencyKey) : undefined;
    if (options?.idempotencyKey) {
      const previous = await this.findAppend(options.idempotencyKey);
      if (previous) return previous;
    }
    let written;
    try {
      written = await this.client.appendToStream(
        streamId,
        events.map((e) =>
          jsonEvent({
            id: e.eventId,
            type: e.type,
            data: e.data,
            metadata: { ...e.metadata, [SCHEMA_VERSION_KEY]: e.schemaVersion, [OCCURRED_AT_KEY]: e.occurredAt ?? new Date().toISOString() },
          }),
        ),
        { expectedRevision: toEsdbExpected(expected) },
      );
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion === NO_STREAM ? -1 : Number(error.actualVersion);
        throw new WrongExpectedRevisionError(streamId, expected, actual);
      }
      throw error;
    }
    const result: AppendResult = {
      streamId,
      nextRevision: Number(written.nextExpectedRevision),
      position: written.position ? encodePosition(written.position) : '',
      duplicate: false,
      eventTypes: events.map((e) => e.type),
    };
    if (keyStream) {
      await this.client
        .appendToStream(keyStream, jsonEvent({ type: 'AppendRecorded', data: { ...result } }), { expectedRevision: NO_STREAM })
        .catch((error: unknown) => {
          if (!(error instanceof WrongExpectedVersionError)) throw error;
        });
    }
    return result;
  }

  async findAppend(idempotencyKey: string): Promise<AppendResult | undefined> {
    const [previous] = await this.readStream(idempotencyStream(idempotencyKey), { maxCount: 1 });
    return previous && { ...(previous.data as unknown as AppendResult), duplicate: true };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const backwards = options.direction === 'backwards';
    const out: StoredEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
      })) {
        const e = toStoredEvent(resolved);
        if (!e) continue;
        if (options.toRevision !== undefined && (backwards ? e.revision < options.toRevision : e.revision > options.toRevision)) break;
        if (options.asOf !== undefined && Date.parse(e.occurredAt) > options.asOf.getTime()) {
          if (backwards) continue;
          break;
        }
        out.push(e);
        if (options.maxCount !== undefined && out.length >= options.maxCount) break;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  async streamRevision(streamId: string): Promise<number> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last?.revision ?? -1;
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const max = options.maxCount ?? 1000;
    const out: StoredEvent[] = [];
    for await (const resolved of this.client.readAll({
      fromPosition: options.after ? decodePosition(options.after) : START,
      maxCount: max + 1,
    })) {
      const e = toStoredEvent(resolved);
      if (!e || (options.after !== undefined && e.position <= options.after)) continue;
      out.push(e);
      if (out.length >= max) break;
    }
    return out;
  }

  subscribe(options: SubscribeOptions): Subscription {
    const sub = new EsdbSubscription(this.client.subscribeToAll({
      fromPosition: options.after ? decodePosition(options.after) : START,
      filter: excludeSystemEvents(),
    }), options);
    this.subscriptions.add(sub);
    return sub;
  }

  async headPosition(): Promise<string | undefined> {
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 50 })) {
      const e = toStoredEvent(resolved);
      if (e) return e.position;
    }
    return undefined;
  }

  comparePositions(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }
}

const idempotencyStream = (key: string): string => `idempotency-${createHash('sha256').update(key).digest('hex')}`;

function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected.kind) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'exists':
      return STREAM_EXISTS;
    case 'exact':
      return BigInt(expected.revision);
    default: {
      const _exhaustive: never = expected;
      return _exhaustive;
    }
  }
}

