import type { Event } from '../../shared/decider';
import type { StoredEvent } from '../../write-model/event-store/event-store.port';

/**
 * A projection is a value: a name, a version (a changed version rebuilds the read model at start), the event
 * types it handles and, per table or index it owns, a pure `evolve` from (document, event) to document.
 * The runtime does all I/O: it loads the documents a batch touches, folds the batch in log order, writes what
 * changed and the checkpoint together.
 */

/** A stored event narrowed to one domain event type (already upcast to the newest schema version). */
export type Envelope<E extends Event> = E extends Event
  ? Readonly<Omit<StoredEvent, 'type' | 'data'> & { type: E['type']; data: E['data'] }>
  : never;

export type RowValue = string | number | boolean | null;
/** One document: column name -> value. Timestamps are ISO-8601 strings, numerics decimal strings. */
export type Row = Readonly<Record<string, RowValue>>;
/** Primary key values in primary-key column order. */
export type Key = readonly RowValue[];

export type PgColumnType = 'text' | 'integer' | 'bigint' | 'numeric' | 'double precision' | 'boolean' | 'timestamptz';

export interface ColumnSpec {
  readonly name: string;
  readonly type: PgColumnType;
  readonly nullable?: boolean;
}

export interface IndexSpec {
  /** Appended to the physical table name to name the index. */
  readonly suffix: string;
  /** What follows `ON <table>`: `(tenant, created_at, id)` or `USING gin (search)`. */
  readonly definition: string;
}

/**
 * A table of a PostgreSQL read model. Physical tables carry a generation suffix (`rm_ventures_g3`); readers
 * use the view `rm_<name>`, which a rebuild swaps atomically to the next generation.
 */
export interface TableSpec {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly primaryKey: readonly string[];
  /** Full column definitions computed by PostgreSQL (`search tsvector GENERATED ALWAYS AS (...) STORED`). */
  readonly generatedColumns?: readonly string[];
  /** Secondary indexes: created with the table, or once a rebuild has caught up (faster bulk loading). */
  readonly indexes?: readonly IndexSpec[];
}

/**
 * The documents of one table and how events change them. Every document is fed by exactly one stream and
 * carries that stream's `revision`: the runtime never applies an event at or below a document's revision, so
 * replaying events changes nothing.
 */
export interface DocumentView<E> {
  readonly table: TableSpec;
  /** The primary key of the document the event changes, or undefined when it does not touch this table. */
  readonly keyOf: (event: E) => Key | undefined;
  /** The document after the event (undefined: there is no document). Pure; may throw on a poison event. */
  readonly evolve: (doc: Row | undefined, event: E) => Row | undefined;
  /**
   * Documents are written once and never change (an index of the log keyed by position): nothing is loaded,
   * a second write of the same key is ignored.
   */
  readonly insertOnly?: boolean;
}

/** What a runner does with an event it cannot apply: record it and carry on, or record it and stop. */
export type PoisonPolicy = 'skip' | 'stop';

interface ProjectionBase<E> {
  readonly name: string;
  readonly version: number;
  readonly canHandle: readonly string[];
  readonly views: readonly DocumentView<E>[];
  readonly onPoison: PoisonPolicy;
}

export interface PgProjection<E = AnyEnvelope> extends ProjectionBase<E> {
  readonly target: 'postgres';
}

/** An Elasticsearch index of documents whose external version is the stream revision. */
export interface EsIndexSpec {
  /** Alias readers use; generations are `<alias>_g<N>`. */
  readonly alias: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly mappings: Readonly<Record<string, unknown>>;
  /** Column of the document holding its id. */
  readonly idField: string;
}

export interface EsProjection<E = AnyEnvelope> extends ProjectionBase<E> {
  readonly target: 'elasticsearch';
  readonly index: EsIndexSpec;
}

export type AnyEnvelope = Readonly<StoredEvent>;
export type Projection = PgProjection | EsProjection;

/**
 * Builds a projection value with `canHandle` typed by the event union, so a misspelt event type does not
 * compile, and views typed by the same union.
 */
export function pgProjection<E extends Event>(p: {
  readonly name: string;
  readonly version: number;
  readonly canHandle: readonly E['type'][];
  readonly views: readonly DocumentView<Envelope<E>>[];
  readonly onPoison: PoisonPolicy;
}): PgProjection {
  return { ...p, target: 'postgres', views: p.views as unknown as readonly DocumentView<AnyEnvelope>[] };
}

export function esProjection<E extends Event>(p: {
  readonly name: string;
  readonly version: number;
  readonly canHandle: readonly E['type'][];
  readonly views: readonly DocumentView<Envelope<E>>[];
  readonly onPoison: PoisonPolicy;
  readonly index: EsIndexSpec;
}): EsProjection {
  return { ...p, target: 'elasticsearch', views: p.views as unknown as readonly DocumentView<AnyEnvelope>[] };
}

export const keyString = (key: Key): string => JSON.stringify(key);
