import type { Logger } from '../infra/logger';
import type { SchemaRegistry } from '../shared/schemas/schema-registry';
import type { EventStore } from '../write-model/event-store/event-store.port';
import type { BackoffOptions } from './backoff';

export interface RelayOptions {
  readonly databaseUrl: string;
  readonly brokers: readonly string[];
  readonly logger: Logger;
  /** Names the checkpoint row and the lease; default `kafka-relay`. */
  readonly name?: string;
  /** Topics are `<prefix>.ventures`, `<prefix>.metrics`, `<prefix>.capital`; default `gedsi`. */
  readonly topicPrefix?: string;
  /** Partitions of each topic the relay creates at start (RELAY_TOPIC_PARTITIONS); default 3. */
  readonly partitions?: number;
  /** Log events per batch (one checkpoint write, and one `sendBatch` per ~900 kB of messages); default 2000. */
  readonly batchSize?: number;
  /**
   * The log, as the raw adapter: the relay upcasts older event versions itself and validates what it publishes,
   * so that a bad stored event stops it with a clear error. Default: the PostgreSQL store at `databaseUrl`
   * (owned, closed on stop).
   */
  readonly store?: EventStore;
  readonly schemas?: SchemaRegistry;
  readonly backoff?: BackoffOptions;
  /** How often a standby instance tries to take the lease; default 1000 ms. */
  readonly standbyRetryMs?: number;
  readonly clientId?: string;
  /** Called after each batch was acknowledged and checkpointed (tests, benchmarks). */
  readonly onPublished?: (batch: PublishedBatch) => void;
}

export interface PublishedBatch {
  readonly events: number;
  readonly messages: number;
  readonly position: string;
}

export type RelayState = 'starting' | 'standby' | 'running' | 'retrying' | 'stopped';

export interface RelayStatus {
  readonly name: string;
  readonly state: RelayState;
  readonly topics: readonly string[];
  /** Position of the last log event the broker acknowledged (with everything before it). */
  readonly checkpoint: string | undefined;
  readonly head: string | undefined;
  /** head - checkpoint in log positions; undefined when positions are not numbers (EventStoreDB). */
  readonly lag: number | undefined;
  readonly eventsRelayed: number;
  readonly messagesPublished: number;
  readonly kafkaRetries: number;
  readonly lastError: string | undefined;
}

export interface RelayHandle {
  stop(): Promise<void>;
  status(): Promise<RelayStatus>;
}
