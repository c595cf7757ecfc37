import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { pgProjections } from '../../src/projections/all-projections';
import { capitalRequestsByVentureIds } from '../../src/projections/capital/capital.queries';
import { latestGedsiMetrics } from '../../src/projections/gedsi/gedsi.queries';
import { startProjector } from '../../src/projections/projector';
import type { NamedStatement, Queryable } from '../../src/projections/runtime/queryable';
import { encodeCursor } from '../../src/projections/shared/page';
import { allCaughtUp, silentLogger, waitFor } from '../../src/projections/testing/support';
import { Workload } from '../../src/projections/testing/workload';
import { venturesByIds, venturesKeysetPage, type VenturesPageArgs } from '../../src/projections/ventures/ventures.queries';
import { readPoolConfig } from '../../src/read-api/read-api';
import { venturesPageWithNested } from '../../src/read-api/ventures-page-with-nested';
import { schemaRegistry } from '../../src/shared/schemas/schema-registry';
import { PostgresEventStore } from '../../src/write-model/event-store/postgres/postgres-event-store';
import { ValidatingEventStore } from '../../src/write-model/event-store/validating-event-store';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The read API's pool makes PostgreSQL use generic plans for its prepared per-request reads (no re-planning
 * per call). A generic plan does not see the values, so this checks that each read's generic plan still reads
 * through the index made for it, over read models of a realistic size, and never scans a read model.
 */
describe('generic plans of the per-request reads', () => {
  const TENANT = 'plans';
  let db: TestDatabase;
  let pool: Pool;
  let client: PoolClient;
  let ventureIds: string[];

  beforeAll(async () => {
    db = await createTestDatabase('read_plans');
    // The projector creates the read models (tables, indexes, views) from a small log...
    const raw = await PostgresEventStore.create({ connectionString: db.url, poolSize: 2 });
    const store = new ValidatingEventStore(raw, schemaRegistry());
    await new Workload(5).appendAtLeast(store, 300, 4);
    const projector = await startProjector({ databaseUrl: db.url, logger: silentLogger(), runtime: { tickMs: 50 } });
    pool = new Pool(readPoolConfig(db.url, 2));
    const names = pgProjections().map((p) => p.name);
    try {
      await waitFor('read models built with their indexes', async () => {
        if (!(await allCaughtUp(pool, raw, names))) return false;
        const ready = await pool.query<{ ready: boolean }>(`SELECT bool_and(indexes_ready) AS ready FROM proj_generations WHERE status = 'live'`);
        return ready.rows[0]?.ready === true;
      });
    } finally {
      await projector.stop();
      await store.close();
    }
    // ...then this tenant gets 100,000 ventures with 2 metrics and 1 capital request each, written straight into
    // the live generation tables (the planner's statistics are what this test is about, not the projection).
    const table = async (view: string) => (await pool.query<{ t: string }>(`SELECT table_name AS t FROM proj_generations g, LATERAL (SELECT $1::text || '_g' || g.generation AS table_name) x WHERE g.status = 'live' AND g.projection = $2`, [view, projectionOf(view)])).rows[0]?.t;
    const [ventures, latest, requests] = [await table('rm_ventures'), await table('rm_gedsi_latest'), await table('rm_capital_requests')];
    await pool.query(
      `INSERT INTO ${ventures} (id, tenant, name, sector, country, stage, description, created_at, updated_at, revision)
       SELECT 'v' || i, $1, 'Venture ' || i, (ARRAY['energy','health','water','finance'])[1 + i % 4], (ARRAY['KE','UG','NG','GH','RW'])[1 + i % 5],
              (ARRAY['IDEA','SEED','GROWTH'])[1 + i % 3], NULL, now() - make_interval(secs => 100000 - i), now(), 0
       FROM generate_series(1, 100000) i`,
      [TENANT],
    );
    await pool.query(
      `INSERT INTO ${latest} (venture_id, metric_id, period, tenant, value, unit, verified, updated_at, updated_by, period_order, revision, view)
       SELECT 'v' || i, m, '2026-Q1', $1, i % 100, 'percent', false, now(), 'plans', 1, 0, json_build_object('metricId', m, 'value', i % 100)::text
       FROM generate_series(1, 100000) i, unnest(ARRAY['women_ownership_pct', 'women_senior_leadership_pct']) m`,
      [TENANT],
    );
    await pool.query(
      `INSERT INTO ${requests} (id, venture_id, tenant, currency, instrument, purpose, status, requested, committed, captured, refunded, disbursed, requested_at, updated_at, state, revision, view)
       SELECT 'r' || i, 'v' || i, $1, 'USD', 'GRANT', 'plans', 'REQUESTED', 1000, 0, 0, 0, 0, now(), now(), '{}', 0, json_build_object('id', 'r' || i)::text
       FROM generate_series(1, 100000) i`,
      [TENANT],
    );
    for (const name of [ventures, latest, requests]) await pool.query(`ANALYZE ${name}`);
    ventureIds = Array.from({ length: 20 }, (_, i) => `v${i * 997 + 1}`);
    client = await pool.connect();
  });

  afterAll(async () => {
    client?.release();
    await pool?.end();
    await db?.drop();
  });

  /** The generic plan of each statement `read` prepares, as EXPLAIN shows it on a read-API connection. */
  async function genericPlans(read: (db: Queryable) => Promise<unknown>): Promise<string[]> {
    const statements: NamedStatement[] = [];
    const recording: Queryable = {
      query: ((statement: NamedStatement) => {
        statements.push(statement);
        return client.query(statement);
      }) as Queryable['query'],
    };
    await read(recording);
    expect(statements.length).toBeGreaterThan(0);
    const plans: string[] = [];
    for (const { name, values } of statements) {
      expect(name).toMatch(/^rm_/); // prepared under a name, so EXECUTE finds it on this connection
      const args = values.map((v) => literal(client, v)).join(', ');
      const explained = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE ${name}(${args})`);
      plans.push(explained.rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    return plans;
  }

  it('runs on connections that use generic plans', async () => {
    expect((await client.query<{ mode: string }>(`SELECT current_setting('plan_cache_mode') AS mode`)).rows[0]?.mode).toBe('force_generic_plan');
  });

  const pages: [string, VenturesPageArgs, RegExp][] = [
    ['no filter', { first: 20 }, readsIndex('rm_ventures', 'page')],
    ['a cursor', { first: 20, after: encodeCursor(['2026-01-01T00:00:00.000Z', 'v1']) }, readsIndex('rm_ventures', 'page')],
    ['sector', { first: 20, filter: { sector: 'energy' } }, readsIndex('rm_ventures', 'sector')],
    ['country', { first: 20, filter: { country: 'KE' } }, readsIndex('rm_ventures', 'country')],
    ['stage', { first: 20, filter: { stage: 'SEED' } }, readsIndex('rm_ventures', 'stage')],
    ['name contains', { first: 20, filter: { nameContains: 'Venture 1' } }, readsIndex('rm_ventures', 'page')],
  ];

  it.each(pages)('a page of ventures (%s) reads its index range', async (_label, args, index) => {
    const [plan] = await genericPlans((db) => venturesKeysetPage(db, TENANT, args));
    expect(plan).toMatch(index);
    expect(plan).not.toMatch(/Seq Scan/);
  });

  it.each(pages)('a page of ventures with its nested lists (%s) reads its index range and each list by venture', async (_label, args, index) => {
    const [plan] = await genericPlans((db) => venturesPageWithNested(db, TENANT, args, { metrics: true, capitalRequests: true }));
    expect(plan).toMatch(index);
    expect(plan).toMatch(readsIndex('rm_gedsi_latest', 'pk'));
    expect(plan).toMatch(readsIndex('rm_capital_requests', 'venture'));
    expect(plan).not.toMatch(/Seq Scan/);
  });

  it('the batched look-ups by venture ids read by index', async () => {
    const plans = await genericPlans(async (db) => {
      await venturesByIds(db, TENANT, ventureIds);
      await latestGedsiMetrics(db, TENANT, ventureIds);
      await capitalRequestsByVentureIds(db, TENANT, ventureIds);
    });
    expect(plans).toHaveLength(3);
    expect(plans[0]).toMatch(readsIndex('rm_ventures', 'pk'));
    expect(plans[1]).toMatch(readsIndex('rm_gedsi_latest', 'pk'));
    expect(plans[2]).toMatch(readsIndex('rm_capital_requests', 'venture'));
    for (const plan of plans) expect(plan).not.toMatch(/Seq Scan/);
  });

  it('answers the same rows as before the change of plan mode (a generic plan is still the same query)', async () => {
    const page = await venturesKeysetPage(client, TENANT, { first: 5, filter: { country: 'KE' } });
    expect(page.edges.map((e) => e.node.id)).toEqual(['v5', 'v10', 'v15', 'v20', 'v25']);
    const other = await venturesKeysetPage(client, `${TENANT}-${randomUUID()}`, { first: 5 });
    expect(other.edges).toEqual([]);
  });
});

/** A plan node reading the index `<view>_g<n>_<suffix>` (plain, index-only or bitmap index scan). */
function readsIndex(view: string, suffix: string): RegExp {
  return new RegExp(`Index (Only )?Scan (using|on) ${view}_g\\d+_${suffix}\\b`);
}

const projectionOf = (view: string): string => ({ rm_ventures: 'ventures', rm_gedsi_latest: 'gedsi', rm_capital_requests: 'capital' })[view] ?? view;

/** A parameter value as an SQL literal for EXECUTE (PostgreSQL casts it to the statement's parameter type). */
function literal(client: PoolClient, value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return client.escapeLiteral(`{${value.map((v) => `"${String(v)}"`).join(',')}}`);
  return client.escapeLiteral(String(value));
}
