import type { SchemaRegistry } from '../../shared/schemas/schema-registry';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from './event-store.port';

/**
 * Puts the JSON Schemas of `schemas/` in front of any adapter: every event is validated against its type and
 * version before it is appended, and every event read is upcast to its newest version and validated again,
 * so the rest of the system only ever sees current, well-formed events. An invalid stored event fails the
 * read loudly (SchemaValidationError) instead of being silently dropped.
 */
export class ValidatingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly schemas: SchemaRegistry,
  ) {}

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision, options?: AppendOptions): Promise<AppendResult> {
    for (const e of events) this.schemas.validateEvent(e.type, e.schemaVersion, e.data);
    return this.inner.append(streamId, events, expected, options);
  }

  findAppend(idempotencyKey: string): Promise<AppendResult | undefined> {
    return this.inner.findAppend(idempotencyKey);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return (await this.inner.readStream(streamId, options)).map((e) => this.schemas.upcast(e));
  }

  streamRevision(streamId: string): Promise<number> {
    return this.inner.streamRevision(streamId);
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return (await this.inner.readAll(options)).map((e) => this.schemas.upcast(e));
  }

  subscribe(options: SubscribeOptions): Subscription {
    return this.inner.subscribe({ ...options, onEvents: (events) => options.onEvents(events.map((e) => this.schemas.upcast(e))) });
  }

  headPosition(): Promise<string | undefined> {
    return this.inner.headPosition();
  }

  comparePositions(a: string, b: string): number {
    return this.inner.comparePositions(a, b);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
