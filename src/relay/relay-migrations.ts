import knex, { type Knex } from 'knex';
import { Client } from 'pg';

/**
 * Tables of the Kafka relay as in-code knex migrations with their own migrations table (so they run the same
 * from `src/` and `dist/`). Append-only: never edit a released migration.
 */
const migrations: Record<string, Knex.Migration> = {
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

class InCodeMigrationSource implements Knex.MigrationSource<string> {
  getMigrations(): Promise<string[]> {
    return Promise.resolve(Object.keys(migrations).sort());
  }
  getMigrationName(name: string): string {
    return name;
  }
  getMigration(name: string): Promise<Knex.Migration> {
    const migration = migrations[name];
    return migration ? Promise.resolve(migration) : Promise.reject(new Error(`unknown migration ${name}`));
  }
}

const MIGRATION_LOCK = 7243991030;

/** Brings the relay tables up to date; processes starting together wait for each other on an advisory lock. */
export async function migrateRelay(connectionString: string): Promise<void> {
  const lock = new Client({ connectionString, application_name: 'relay-migrations' });
  await lock.connect();
  const db = knex({ client: 'pg', connection: connectionString, pool: { min: 0, max: 1 } });
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await db.migrate.latest({ migrationSource: new InCodeMigrationSource(), tableName: 'relay_knex_migrations' });
  } finally {
    await db.destroy();
    await lock.end();
  }
}
