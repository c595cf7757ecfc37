import type { EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';

export interface EventStoreConfig {
  readonly databaseUrl?: string;
  readonly eventStoreConnectionString?: string;
  readonly onBackgroundError?: (error: Error) => void;
}

/** EventStoreDB when a connection string is configured, else PostgreSQL (migrated on the way). */
export async function createEventStore(config: EventStoreConfig): Promise<EventStore> {
  if (config.eventStoreConnectionString) {
    return EventStoreDbEventStore.connect(config.eventStoreConnectionString);
  }
  if (!config.databaseUrl) throw new Error('createEventStore needs DATABASE_URL or EVENTSTORE_CONNECTION_STRING');
  return PostgresEventStore.create({ connectionString: config.databaseUrl, onBackgroundError: config.onBackgroundError });
}
