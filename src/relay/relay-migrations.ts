import { runMigrations, type Migrations } from '../infra/pg-migrations';

/**
 * Tables of the Kafka relay as in-code knex migrations with their own migrations table (so they run the same
 * from `src/` and `dist/`). Append-only: never edit a released migration.
 */
const migrations: Migrations = {
  '0001_relay_checkpoints': {
    async up(db) {
      await db.raw(`
        CREATE TABLE relay_checkpoints (
          name       text        PRIMARY KEY,
          -- Position of the last log event whose integration event (if any) the broker acknowledged.
          position   text        NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now()
        );
      `);
    },
    async down(db) {
      await db.raw('DROP TABLE IF EXISTS relay_checkpoints');
    },
  },
};

/** Brings the relay tables up to date; processes starting together wait for each other on an advisory lock. */
export async function migrateRelay(connectionString: string): Promise<void> {
  await runMigrations(connectionString, { migrations, tableName: 'relay_knex_migrations', lockKey: 7243991030 });
}
