/**
 * The event store port: one contract, two adapters (PostgreSQL, the embedded default; EventStoreDB in
 * production). The shared contract suite in `event-store.contract.ts` runs against both.
 *
 * Guarantees every adapter gives:
 * - `append` is atomic for all the events of one call and checks the expected revision.
 * - An append carrying an `idempotencyKey` that was already used appends nothing and returns the first result.
 * - The global log (`readAll`, `subscribe`) is totally ordered by position; a reader that has seen position P
 *   never later finds an event with a position at or below P (no event committed "late" is skipped).
 */

/** Metadata every stored event carries (DESIGN.md section 2). */
export interface EventMetadata {
  readonly commandId?: string;
  readonly correlationId: string;
  readonly causationId: string;
  /** The authenticated subject (JWT `sub`) or a system actor such as `saga:capital`. */
  readonly actor: string;
  readonly tenant: string;
  readonly [key: string]: unknown;
}

/** An event as a writer proposes it: not yet placed in a stream or in the log. */
export interface NewEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: EventMetadata;
  /** Defaults to the store's clock at append. */
  readonly occurredAt?: string;
}

/** An event as it is stored. */
export interface StoredEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly streamId: string;
  /** 0-based revision within the stream. */
  readonly revision: number;
  /** Global position in the log: opaque outside the store, comparable with `comparePositions`. */
  readonly position: string;
  /** ISO-8601 instant. */
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: EventMetadata;
}

/** The revision a writer expects the stream to be at before its append. */
export type ExpectedRevision =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'exists' }
  | { readonly kind: 'exact'; readonly revision: number };

export const expect = {
  any: { kind: 'any' } as ExpectedRevision,
  noStream: { kind: 'no_stream' } as ExpectedRevision,
  exists: { kind: 'exists' } as ExpectedRevision,
  exact: (revision: number): ExpectedRevision => ({ kind: 'exact', revision }),
} as const;

export interface AppendOptions {
  /**
   * A key (tenant-scoped command id) that makes the append idempotent: a second append with the same key
   * appends nothing and returns the first append's result, whatever the stream looks like by then.
   */
  readonly idempotencyKey?: string;
}

export interface AppendResult {
  readonly streamId: string;
  /** Revision of the stream after the append (its last event). */
  readonly nextRevision: number;
  /** Position of the last appended event. */
  readonly position: string;
  /** True when the idempotency key had been seen and nothing was appended. */
  readonly duplicate: boolean;
  readonly eventTypes: readonly string[];
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Start here (inclusive): the first revision forwards, the last revision backwards. */
  readonly fromRevision?: number;
  /** Stop after this revision (inclusive, forwards) or before it (inclusive, backwards). */
  readonly toRevision?: number;
  /** Only events that occurred at or before this instant. */
  readonly asOf?: Date;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: read events after this position; `undefined` means from the start of the log. */
  readonly after?: string;
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** Exclusive start position; `undefined` means from the start of the log. */
  readonly after?: string;
  /** Called for each batch in log order; the next batch is not delivered before the promise settles. */
  readonly onEvents: (events: readonly StoredEvent[]) => Promise<void>;
  readonly onError?: (error: Error) => void;
  readonly batchSize?: number;
}

export interface Subscription {
  /** Stops delivery; resolves once the handler in flight, if any, has finished. */
  close(): Promise<void>;
  /** Position of the last event delivered and handled, if any. */
  readonly position: string | undefined;
}

export interface EventStore {
  append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /** The result of the append that used this idempotency key, if any. */
  findAppend(idempotencyKey: string): Promise<AppendResult | undefined>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** The stream's current revision, or -1 when it does not exist. */
  streamRevision(streamId: string): Promise<number>;
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  subscribe(options: SubscribeOptions): Subscription;
  /** Position of the newest event in the log, or undefined when the log is empty. */
  headPosition(): Promise<string | undefined>;
  /** Negative when a is before b, zero when equal, positive after. */
  comparePositions(a: string, b: string): number;
  close(): Promise<void>;
}

/** The expected revision did not hold. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number,
  ) {
    super(
      `stream ${streamId}: expected ${expected.kind === 'exact' ? `revision ${expected.revision}` : expected.kind}, ` +
        `actual ${actual < 0 ? 'no stream' : `revision ${actual}`}`,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An argument the store refuses before touching storage (bad stream id, empty batch, ...). */
export class EventStoreArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventStoreArgumentError';
  }
}

/** Stream ids are `<category>-<id>`: ASCII letters, digits, `-`, `_`, `.`, `:`; at most 200 characters. */
export const STREAM_ID_PATTERN = /^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9_.:-]{1,190}$/;

export function assertValidStreamId(streamId: string): void {
  if (!STREAM_ID_PATTERN.test(streamId)) {
    throw new EventStoreArgumentError(
      `invalid stream id ${JSON.stringify(streamId.slice(0, 80))}: expected <category>-<id> with letters, digits, - _ . :`,
    );
  }
}
