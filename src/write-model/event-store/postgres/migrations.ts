import { runMigrations, type Migrations } from '../../../infra/pg-migrations';

/**
 * Schema of the PostgreSQL event store, as knex migrations kept in code (so they run the same from `src/`
 * under ts-jest and from `dist/` in production). Migrations are append-only: never edit a released one.
 */
const migrations: Migrations = {
  '0001_event_log': {
    async up(db) {
      await db.raw(`
        CREATE SEQUENCE es_position_seq AS bigint;
        CREATE TABLE es_events (
          position       bigint      PRIMARY KEY,
          event_id       uuid        NOT NULL UNIQUE,
          stream_id      text        NOT NULL,
          revision       integer     NOT NULL,
          type           text        NOT NULL,
          schema_version integer     NOT NULL,
          data           jsonb       NOT NULL,
          metadata       jsonb       NOT NULL,
          occurred_at    timestamptz NOT NULL,
          UNIQUE (stream_id, revision)
        );
        CREATE INDEX es_events_type_idx ON es_events (type, position);
        CREATE INDEX es_events_occurred_idx ON es_events (occurred_at);
        CREATE TABLE es_streams (
          stream_id  text        PRIMARY KEY,
          revision   integer     NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE es_idempotency (
          key         text        PRIMARY KEY,
          stream_id   text        NOT NULL,
          revision    integer     NOT NULL,
          position    bigint      NOT NULL,
          event_types text[]      NOT NULL,
          created_at  timestamptz NOT NULL DEFAULT now()
        );
      `);
      await db.raw(APPEND_FUNCTION);
    },
    async down(db) {
      await db.raw(`DROP FUNCTION IF EXISTS es_append(jsonb);
        DROP TABLE IF EXISTS es_idempotency, es_streams, es_events; DROP SEQUENCE IF EXISTS es_position_seq;`);
    },
  },
};

/**
 * Appends a batch of append requests in one statement (one round trip, one commit for the whole batch:
 * group commit). Every writer takes the same transaction-scoped advisory lock before it draws positions and
 * keeps it until its commit is visible, so positions become visible in increasing order: a reader that saw
 * position P can never later find a committed event below P. Each request is checked and written in its own
 * sub-transaction, so one request's conflict or error never touches the others of the batch (the batcher sends
 * at most 64 requests per call: past 64 sub-transactions PostgreSQL's subxid cache overflows and every
 * concurrent snapshot gets slower).
 */
const APPEND_FUNCTION = `
CREATE FUNCTION es_append(requests jsonb) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  req jsonb;
  results jsonb := '[]'::jsonb;
  current_rev integer;
  expected_kind text;
  expected_rev integer;
  event_count integer;
  last_position bigint;
  batch_last bigint;
  types text[];
  prev es_idempotency%ROWTYPE;
BEGIN
  PERFORM pg_advisory_xact_lock(7243991017);
  FOR req IN SELECT value FROM jsonb_array_elements(requests) LOOP
    BEGIN
      IF req->>'key' IS NOT NULL THEN
        SELECT * INTO prev FROM es_idempotency WHERE key = req->>'key';
        IF FOUND THEN
          results := results || jsonb_build_array(jsonb_build_object('status', 'duplicate',
            'streamId', prev.stream_id, 'revision', prev.revision, 'position', prev.position::text,
            'eventTypes', to_jsonb(prev.event_types)));
          CONTINUE;
        END IF;
      END IF;
      SELECT revision INTO current_rev FROM es_streams WHERE stream_id = req->>'streamId';
      IF NOT FOUND THEN current_rev := -1; END IF;
      expected_kind := req->'expected'->>'kind';
      expected_rev := (req->'expected'->>'revision')::integer;
      IF (expected_kind = 'no_stream' AND current_rev <> -1)
         OR (expected_kind = 'exists' AND current_rev = -1)
         OR (expected_kind = 'exact' AND current_rev <> expected_rev) THEN
        results := results || jsonb_build_array(jsonb_build_object('status', 'wrong_expected_revision', 'actual', current_rev));
        CONTINUE;
      END IF;
      event_count := jsonb_array_length(req->'events');
      WITH inserted AS (
        INSERT INTO es_events (position, event_id, stream_id, revision, type, schema_version, data, metadata, occurred_at)
        SELECT nextval('es_position_seq'), (e->>'eventId')::uuid, req->>'streamId', current_rev + ord::integer,
               e->>'type', (e->>'schemaVersion')::integer, e->'data', e->'metadata',
               COALESCE((e->>'occurredAt')::timestamptz, clock_timestamp())
        FROM jsonb_array_elements(req->'events') WITH ORDINALITY AS t(e, ord)
        ORDER BY ord
        RETURNING position, type, revision
      )
      SELECT max(position), array_agg(type ORDER BY revision) INTO last_position, types FROM inserted;
      INSERT INTO es_streams (stream_id, revision, updated_at) VALUES (req->>'streamId', current_rev + event_count, now())
        ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at;
      IF req->>'key' IS NOT NULL THEN
        INSERT INTO es_idempotency (key, stream_id, revision, position, event_types)
        VALUES (req->>'key', req->>'streamId', current_rev + event_count, last_position, types);
      END IF;
      batch_last := greatest(batch_last, last_position);
      results := results || jsonb_build_array(jsonb_build_object('status', 'ok',
        'streamId', req->>'streamId', 'revision', current_rev + event_count, 'position', last_position::text,
        'eventTypes', to_jsonb(types)));
    EXCEPTION WHEN OTHERS THEN
      results := results || jsonb_build_array(jsonb_build_object('status', 'error', 'sqlstate', SQLSTATE, 'message', SQLERRM));
    END;
  END LOOP;
  IF batch_last IS NOT NULL THEN
    PERFORM pg_notify('es_events', batch_last::text);
  END IF;
  RETURN results;
END
$fn$;
`;

/** Brings the event store schema up to date; processes starting together wait for each other. */
export async function migrateEventStore(connectionString: string): Promise<void> {
  await runMigrations(connectionString, { migrations, tableName: 'es_knex_migrations', lockKey: 7243991016 });
}
