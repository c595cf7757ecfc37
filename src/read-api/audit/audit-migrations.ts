import { runMigrations, type Migrations } from '../../infra/pg-migrations';

/**
 * Indexes the read API needs on the PostgreSQL log (`es_events`, the event store's table): the audit trail and
 * dashboard replays are scoped by tenant and paged by position; correlation ids are looked up alone. In-code,
 * append-only knex migrations with their own migrations table.
 */
const migrations: Migrations = {
  '0001_log_read_indexes': {
    async up(db) {
      await db.raw(`
        CREATE INDEX IF NOT EXISTS es_events_tenant_position_idx ON es_events ((metadata->>'tenant'), position);
        CREATE INDEX IF NOT EXISTS es_events_correlation_idx ON es_events ((metadata->>'correlationId'));
      `);
    },
    async down(db) {
      await db.raw('DROP INDEX IF EXISTS es_events_tenant_position_idx, es_events_correlation_idx');
    },
  },
  '0002_venture_snapshots': {
    async up(db) {
      await db.raw(`
        CREATE TABLE IF NOT EXISTS read_api_snapshots (
          stream_id        text        NOT NULL,
          revision         integer     NOT NULL,
          -- The latest occurred_at among events 0..revision: usable for any asOf at or after it.
          max_occurred_at  timestamptz NOT NULL,
          state            jsonb       NOT NULL,
          PRIMARY KEY (stream_id, revision)
        );
      `);
    },
    async down(db) {
      await db.raw('DROP TABLE IF EXISTS read_api_snapshots');
    },
  },
};

/** Runs after the event store's own migrations (the log table must exist); processes wait for each other. */
export async function migrateReadApi(connectionString: string): Promise<void> {
  await runMigrations(connectionString, { migrations, tableName: 'read_api_knex_migrations', lockKey: 7243991019 });
}
