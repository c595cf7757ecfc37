import { runMigrations, type Migrations } from '../../infra/pg-migrations';

/**
 * Tables of the projection runtime (not of the read models, which are created per generation), as in-code
 * knex migrations with their own migrations table. Append-only: never edit a released migration.
 */
const migrations: Migrations = {
  '0001_projection_runtime': {
    async up(db) {
      await db.raw(`
        CREATE TABLE proj_projections (
          name                 text        PRIMARY KEY,
          live_generation      integer,
          -- Fencing token: bumped by each new lease holder; every write checks it (SELECT ... FOR KEY SHARE).
          lease_token          bigint      NOT NULL DEFAULT 0,
          lease_owner          text,
          paused               boolean     NOT NULL DEFAULT false,
          rebuild_requested_at timestamptz,
          state                text        NOT NULL DEFAULT 'STOPPED',
          last_error           text,
          updated_at           timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE proj_generations (
          projection        text        NOT NULL REFERENCES proj_projections (name),
          generation        integer     NOT NULL,
          version           integer     NOT NULL,
          -- Hash of the tables' DDL: a live generation with another layout is not written by newer code.
          layout_hash       text        NOT NULL,
          status            text        NOT NULL CHECK (status IN ('building', 'live', 'retired')),
          -- Checkpoint: position of the last event of the log this generation has processed.
          position          text,
          events_processed  bigint      NOT NULL DEFAULT 0,
          events_per_second double precision NOT NULL DEFAULT 0,
          indexes_ready     boolean     NOT NULL DEFAULT false,
          head_at_start     text,
          started_at        timestamptz NOT NULL DEFAULT now(),
          live_at           timestamptz,
          updated_at        timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (projection, generation)
        );
        CREATE UNIQUE INDEX proj_generations_one_live ON proj_generations (projection) WHERE status = 'live';
        CREATE UNIQUE INDEX proj_generations_one_building ON proj_generations (projection) WHERE status = 'building';
        CREATE TABLE proj_dead_letters (
          id           bigserial   PRIMARY KEY,
          projection   text        NOT NULL REFERENCES proj_projections (name),
          generation   integer     NOT NULL,
          event_id     text        NOT NULL,
          position     text        NOT NULL,
          stream_id    text        NOT NULL,
          revision     integer     NOT NULL,
          type         text        NOT NULL,
          error        text        NOT NULL,
          -- pending: not applied; retry_requested: an operator asked to apply it again; retried: applied since;
          -- skipped: an operator accepted that it is not applied.
          status       text        NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'retry_requested', 'retried', 'skipped')),
          attempts     integer     NOT NULL DEFAULT 1,
          created_at   timestamptz NOT NULL DEFAULT now(),
          updated_at   timestamptz NOT NULL DEFAULT now(),
          UNIQUE (projection, event_id)
        );
        CREATE INDEX proj_dead_letters_open ON proj_dead_letters (projection, status);
      `);
    },
    async down(db) {
      await db.raw('DROP TABLE IF EXISTS proj_dead_letters, proj_generations, proj_projections');
    },
  },
};

/**
 * Brings the runtime tables up to date. Callers in several processes wait for each other on an advisory lock
 * (knex's own lock fails instead of waiting when two first runs race to create its tables).
 */
export async function migrateProjections(connectionString: string): Promise<void> {
  await runMigrations(connectionString, { migrations, tableName: 'proj_knex_migrations', lockKey: 7243991018 });
}
