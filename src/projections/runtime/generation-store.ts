import type { PoolClient } from 'pg';
import type { StoredEvent } from '../../write-model/event-store/event-store.port';
import type { BatchResult } from './runner';

/** Writes batches to one generation of a read model (see `PgApplier`, `EsApplier`). */
export interface Applier {
  /** The committed checkpoint; read again at every runner (re)start. */
  checkpoint(): Promise<string | undefined>;
  /** `outer`: inside the caller's transaction (the swap), which commits. */
  apply(events: readonly StoredEvent[], eventsPerSecond: number, outer?: PoolClient): Promise<BatchResult>;
  /** Projects one stream again from nothing (retry of a dead letter); throws when it fails again. */
  refold(client: PoolClient, streamEvents: readonly StoredEvent[]): Promise<void>;
}

/**
 * Where the generations of one read model live (PostgreSQL tables behind views, or Elasticsearch indexes
 * behind an alias). `db` arguments are the controller's fenced transaction in PostgreSQL.
 */
export interface GenerationStore {
  /** Identifies the physical layout; a live generation with another layout is not written by this code. */
  readonly layoutHash: string;
  create(db: PoolClient, generation: number, withIndexes: boolean): Promise<void>;
  /** Secondary indexes, deferred while a rebuild bulk-loads. */
  createIndexes(db: PoolClient, generation: number): Promise<void>;
  /** Inside the swap transaction: readers now see this generation (PostgreSQL views). */
  publish(db: PoolClient, generation: number): Promise<void>;
  /** After the swap committed, and at every start: make readers see the live generation (Elasticsearch alias). */
  afterPublish(generation: number): Promise<void>;
  drop(generation: number): Promise<void>;
  applier(generation: number, token: number, building: boolean): Applier;
  /** Releases connections of its own (the Elasticsearch client). */
  close?(): Promise<void>;
}
