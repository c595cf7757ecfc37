import { Pool } from 'pg';
import {
  assertValidStreamId,
  EventStoreArgumentError,
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
import { AppendBatcher } from './append-batcher';
import { LogNotifier } from './log-notifier';
import { migrateEventStore } from './migrations';
import { PgSubscription } from './pg-subscription';
import { ReadBatcher } from './read-batcher';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  readonly poolSize?: number;
  readonly maxEventsPerAppend?: number;
  readonly onBackgroundError?: (error: Error) => void;
}

interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: StoredEvent['metadata'];
  occurred_at: Date;
}

const COLUMNS = 'position::text AS position, event_id, stream_id, revision, type, schema_version, data, metadata, occurred_at';
const MAX_READ = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The embedded default: the log in one PostgreSQL table, gap-free in commit order (see `es_append`). */
export class PostgresEventStore implements EventStore {
  private readonly batcher: AppendBatcher;
  private readonly notifier: LogNotifier;
  private readonly subscriptions = new Set<Subscription>();
  private readonly wholeStreams: ReadBatcher<string, StoredEvent[]>;
  private readonly firstEvents: ReadBatcher<string, StoredEvent[]>;
  private readonly appendsByKey: ReadBatcher<string, AppendResult | undefined>;

  private constructor(
    private readonly pool: Pool,
    private readonly options: PostgresEventStoreOptions,
  ) {
    this.batcher = new AppendBatcher(pool);
    this.notifier = new LogNotifier(options.connectionString, options.onBackgroundError);
    this.wholeStreams = new ReadBatcher((ids) => this.fetchStreams(ids), []);
    this.firstEvents = new ReadBatcher((ids) => this.fetchStreams(ids, 'AND revision = 0'), []);
    this.appendsByKey = new ReadBatcher((keys) => this.fetchAppends(keys), undefined);
  }

  /** Runs the migrations, then opens the pool. */
  static async create(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    await migrateEventStore(options.connectionString);
    const pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
    pool.on('error', (error) => options.onBackgroundError?.(error));
    return new PostgresEventStore(pool, options);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision, options?: AppendOptions): Promise<AppendResult> {
    assertValidStreamId(streamId);
    const max = this.options.maxEventsPerAppend ?? 1000;
    if (events.length === 0 || events.length > max) {
      throw new EventStoreArgumentError(`an append carries 1 to ${max} events, got ${events.length}`);
    }
    if (expected.kind === 'exact' && (!Number.isInteger(expected.revision) || expected.revision < 0)) {
      throw new EventStoreArgumentError(`expected revision must be an integer >= 0`);
    }
    for (const e of events) {
      if (!UUID.test(e.eventId)) throw new EventStoreArgumentError(`eventId ${JSON.stringify(e.eventId)} is not a UUID`);
    }
    return this.batcher.append(streamId, events, expected, options?.idempotencyKey);
  }

  findAppend(idempotencyKey: string): Promise<AppendResult | undefined> {
    return this.appendsByKey.load(idempotencyKey);
  }

  private async fetchAppends(keys: readonly string[]): Promise<Map<string, AppendResult>> {
    const res = await this.pool.query<{ key: string; stream_id: string; revision: number; position: string; event_types: string[] }>(
      'SELECT key, stream_id, revision, position::text AS position, event_types FROM es_idempotency WHERE key = ANY($1::text[])',
      [keys],
    );
    return new Map(
      res.rows.map((r) => [r.key, { streamId: r.stream_id, nextRevision: r.revision, position: r.position, duplicate: true, eventTypes: r.event_types }]),
    );
  }

  private async fetchStreams(streamIds: readonly string[], only = ''): Promise<Map<string, StoredEvent[]>> {
    const res = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM es_events WHERE stream_id = ANY($1::text[]) ${only} ORDER BY stream_id, revision`,
      [streamIds],
    );
    const byStream = new Map<string, StoredEvent[]>();
    for (const row of res.rows) {
      const list = byStream.get(row.stream_id) ?? [];
      list.push(toStored(row));
      byStream.set(row.stream_id, list);
    }
    return byStream;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    // The two reads every command makes (whole stream; first event = owner check) are batched across callers.
    const { maxCount, ...rest } = options;
    const plain = Object.values(rest).every((v) => v === undefined || v === 'forwards');
    if (plain && maxCount === undefined) return [...(await this.wholeStreams.load(streamId))];
    if (plain && maxCount === 1) return [...(await this.firstEvents.load(streamId))];
    const backwards = options.direction === 'backwards';
    const where = ['stream_id = $1'];
    const params: unknown[] = [streamId];
    if (options.fromRevision !== undefined) {
      params.push(options.fromRevision);
      where.push(`revision ${backwards ? '<=' : '>='} $${params.length}`);
    }
    if (options.toRevision !== undefined) {
      params.push(options.toRevision);
      where.push(`revision ${backwards ? '>=' : '<='} $${params.length}`);
    }
    if (options.asOf !== undefined) {
      params.push(options.asOf);
      where.push(`occurred_at <= $${params.length}`);
    }
    const limit = options.maxCount !== undefined ? ` LIMIT ${Math.max(0, Math.floor(options.maxCount))}` : '';
    const res = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM es_events WHERE ${where.join(' AND ')} ORDER BY revision ${backwards ? 'DESC' : 'ASC'}${limit}`,
      params,
    );
    return res.rows.map(toStored);
  }

  async streamRevision(streamId: string): Promise<number> {
    const res = await this.pool.query<{ revision: number }>('SELECT revision FROM es_streams WHERE stream_id = $1', [streamId]);
    return res.rows[0]?.revision ?? -1;
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const after = options.after === undefined ? '0' : parsePosition(options.after);
    const limit = Math.min(Math.max(1, options.maxCount ?? 1000), MAX_READ);
    const res = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM es_events WHERE es_events.position > $1 ORDER BY es_events.position LIMIT $2`,
      [after, limit],
    );
    return res.rows.map(toStored);
  }

  subscribe(options: SubscribeOptions): Subscription {
    if (options.after !== undefined) parsePosition(options.after);
    const sub = new PgSubscription((o) => this.readAll(o), this.notifier, options);
    this.subscriptions.add(sub);
    return {
      get position() {
        return sub.position;
      },
      close: async () => {
        this.subscriptions.delete(sub);
        await sub.close();
      },
    };
  }

  async headPosition(): Promise<string | undefined> {
    const res = await this.pool.query<{ head: string | null }>('SELECT max(position)::text AS head FROM es_events');
    return res.rows[0]?.head ?? undefined;
  }

  comparePositions(a: string, b: string): number {
    const x = BigInt(parsePosition(a));
    const y = BigInt(parsePosition(b));
    return x < y ? -1 : x > y ? 1 : 0;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.notifier.close();
    await this.pool.end();
  }
}

function parsePosition(position: string): string {
  if (!/^(0|[1-9][0-9]{0,18})$/.test(position)) throw new EventStoreArgumentError(`invalid log position ${JSON.stringify(position)}`);
  return position;
}

function toStored(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    occurredAt: row.occurred_at.toISOString(),
    data: row.data,
    metadata: row.metadata,
  };
}

