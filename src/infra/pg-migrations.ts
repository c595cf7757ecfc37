import knex, { type Knex } from 'knex';
import { Client } from 'pg';

export type Migrations = Readonly<Record<string, Knex.Migration>>;

/**
 * Each module keeps its schema as knex migrations in code (so they run the same from `src/` under ts-jest and
 * from `dist/`), with a migrations table of its own. Migrations are append-only: never edit a released one.
 */
class InCodeMigrationSource implements Knex.MigrationSource<string> {
  constructor(private readonly migrations: Migrations) {}

  getMigrations(): Promise<string[]> {
    return Promise.resolve(Object.keys(this.migrations).sort());
  }
  getMigrationName(name: string): string {
    return name;
  }
  getMigration(name: string): Promise<Knex.Migration> {
    const migration = this.migrations[name];
    return migration ? Promise.resolve(migration) : Promise.reject(new Error(`unknown migration ${name}`));
  }
}

/**
 * Brings a module's tables up to date. Processes starting together wait for each other on an advisory lock:
 * knex's own lock fails instead of waiting when two first runs race to create its tables.
 */
export async function runMigrations(
  connectionString: string,
  options: { readonly migrations: Migrations; readonly tableName: string; readonly lockKey: number },
): Promise<void> {
  const lock = new Client({ connectionString, application_name: `${options.tableName} migrations` });
  await lock.connect();
  const db = knex({ client: 'pg', connection: connectionString, pool: { min: 0, max: 1 } });
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [options.lockKey]);
    await db.migrate.latest({ migrationSource: new InCodeMigrationSource(options.migrations), tableName: options.tableName });
  } finally {
    await db.destroy();
    await lock.end();
  }
}
