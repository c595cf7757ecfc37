import knex, { type Knex } from 'knex';

/**
 * Tables of the saga runtime (and of the parts of the sagas that keep rows of their own), as knex migrations kept in
 * code. Append-only: never edit a released migration.
 */
const migrations: Record<string, Knex.Migration> = {
  '0001_saga_runtime': {
    async up(db) {
      await db.raw(`
        CREATE TABLE saga_checkpoints (
          name       text PRIMARY KEY,
          position   text,
          updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE saga_instances (
          saga         text        NOT NULL,
          key          text        NOT NULL,
          tenant       text        NOT NULL,
          state        jsonb       NOT NULL,
          associations text[]      NOT NULL DEFAULT '{}',
          done         boolean     NOT NULL DEFAULT false,
          updated_at   timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (saga, key)
        );
        CREATE INDEX saga_instances_tenant_idx ON saga_instances (saga, tenant);
        CREATE INDEX saga_instances_associations_idx ON saga_instances USING gin (associations) WHERE NOT done;
        CREATE TABLE saga_timers (
          id           text        PRIMARY KEY,
          saga         text        NOT NULL,
          key          text        NOT NULL,
          local_id     text        NOT NULL,
          kind         text        NOT NULL CHECK (kind IN ('timer', 'retry')),
          due_at       timestamptz NOT NULL,
          command      jsonb       NOT NULL,
          meta         jsonb       NOT NULL,
          command_id   text        NOT NULL,
          attempt      integer     NOT NULL DEFAULT 0,
          created_at   timestamptz NOT NULL DEFAULT now(),
          fired_at     timestamptz,
          cancelled_at timestamptz
        );
        CREATE INDEX saga_timers_due_idx ON saga_timers (saga, due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;
        CREATE INDEX saga_timers_instance_idx ON saga_timers (saga, key) WHERE fired_at IS NULL AND cancelled_at IS NULL;
        CREATE TABLE saga_dead_letters (
          id       bigserial   PRIMARY KEY,
          saga     text        NOT NULL,
          key      text,
          event_id text,
          position text,
          command  jsonb,
          error    text        NOT NULL,
          at       timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE payment_webhook_inbox (
          provider_event_id text        PRIMARY KEY,
          type              text        NOT NULL,
          outcome           text        NOT NULL,
          received_at       timestamptz NOT NULL DEFAULT now()
        );
      `);
    },
    async down(db) {
      await db.raw(`DROP TABLE IF EXISTS payment_webhook_inbox, saga_dead_letters, saga_timers, saga_instances, saga_checkpoints`);
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

/** Brings the saga tables up to date; safe to run from several processes at once (knex locks). */
export async function migrateSagas(connectionString: string): Promise<void> {
  const db = knex({ client: 'pg', connection: connectionString, pool: { min: 0, max: 1 } });
  try {
    await db.migrate.latest({ migrationSource: new InCodeMigrationSource(), tableName: 'saga_knex_migrations' });
  } finally {
    await db.destroy();
  }
}
