import { runMigrations, type Migrations } from '../../infra/pg-migrations';

/**
 * Tables of the saga runtime (and of the parts of the sagas that keep rows of their own), as knex migrations kept in
 * code. Append-only: never edit a released migration.
 */
const migrations: Migrations = {
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

/** Brings the saga tables up to date; processes starting together wait for each other. */
export async function migrateSagas(connectionString: string): Promise<void> {
  await runMigrations(connectionString, { migrations, tableName: 'saga_knex_migrations', lockKey: 7243991040 });
}
