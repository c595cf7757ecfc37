import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { schemaRegistry } from '../shared/schemas/schema-registry';
import { expect as expectRevision } from '../write-model/event-store/event-store.port';
import { PostgresEventStore } from '../write-model/event-store/postgres/postgres-event-store';
import { ValidatingEventStore } from '../write-model/event-store/validating-event-store';
import { pgProjections } from './all-projections';
import { auditTrail } from './audit/audit.queries';
import { capitalDashboard, capitalRequestById, capitalRequestsByVentureIds, capitalRequestsPage } from './capital/capital.queries';
import { gedsiDashboard, gedsiMetricHistory, latestGedsiMetrics } from './gedsi/gedsi.queries';
import { startProjector, type Projector } from './projector';
import { ReadAfter } from './read-after';
import { PgVentureSearch } from './search/pg-venture-search';
import { InvalidPageError, type Connection } from './shared/page';
import { newEvent, ventureCreated } from './testing/fixtures';
import { allCaughtUp, silentLogger, viewRows, waitFor, testPool } from './testing/support';
import { Workload } from './testing/workload';
import { capitalDashboardOf, gedsiDashboardOf } from '../read-api/dashboards/dashboard-aggregates';
import { DashboardReplay } from '../read-api/dashboards/dashboard-replay';
import { ventureById, venturesByIds, venturesPage } from './ventures/ventures.queries';
import { gedsiLatestTable } from './gedsi/gedsi.tables';
import { gedsiVenturesTable } from './gedsi/gedsi.tables';
import { capitalRequestsTable, capitalVenturesTable } from './capital/capital.tables';

const names = pgProjections().map((p) => p.name);

async function walk<T>(page: (after: string | null) => Promise<Connection<T>>): Promise<T[]> {
  const out: T[] = [];
  for (let after: string | null = null; ; ) {
    const c = await page(after);
    out.push(...c.edges.map((e) => e.node));
    if (!c.pageInfo.hasNextPage) return out;
    after = c.pageInfo.endCursor;
  }
}

describe('read-side queries over the read models', () => {
  let db: TestDatabase;
  let raw: PostgresEventStore;
  let store: ValidatingEventStore;
  let pool: Pool;
  let projector: Projector;
  const solar = randomUUID();
  const clinic = randomUUID();
  const foreign = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase('proj_q');
    raw = await PostgresEventStore.create({ connectionString: db.url, poolSize: 3 });
    store = new ValidatingEventStore(raw, schemaRegistry());
    pool = testPool(db.url, 3);
    await new Workload(11).appendAtLeast(store, 3000, 4);
    await store.append(`venture-${solar}`, [ventureCreated(solar, 'Sunrise Solar Cooperative', 'tenant-q', { sector: 'Energy', description: 'Pay-as-you-go solar kits' })], expectRevision.noStream);
    await store.append(`venture-${clinic}`, [ventureCreated(clinic, 'Maternal Clinic Network', 'tenant-q', { sector: 'Health', country: 'NG', stage: 'GROWTH' })], expectRevision.noStream);
    await store.append(`venture-${foreign}`, [ventureCreated(foreign, 'Sunrise Foreign', 'tenant-other')], expectRevision.noStream);
    projector = await startProjector({ databaseUrl: db.url, logger: silentLogger(), runtime: { tickMs: 100 } });
    await waitFor('catch-up', () => allCaughtUp(pool, raw, names));
  });
  afterAll(async () => {
    await projector.stop();
    await pool.end();
    await raw.close();
    await db.drop();
  });

  it('pages through ventures with a keyset cursor: every venture once, in creation order, with the total count', async () => {
    const all = await walk((after) => venturesPage(pool, 'tenant-a', { first: 7, after }));
    const first = await venturesPage(pool, 'tenant-a', { first: 7 });
    expect(all.length).toBe(first.totalCount);
    expect(new Set(all.map((v) => v.id)).size).toBe(all.length);
    const keys = all.map((v) => `${v.createdAt}|${v.id}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('filters ventures by sector, country, stage and name, and scopes every read by tenant', async () => {
    const energy = await venturesPage(pool, 'tenant-q', { filter: { sector: 'Energy' } });
    expect(energy.edges.map((e) => e.node.id)).toEqual([solar]);
    expect((await venturesPage(pool, 'tenant-q', { filter: { country: 'NG', stage: 'GROWTH' } })).edges.map((e) => e.node.id)).toEqual([clinic]);
    expect((await venturesPage(pool, 'tenant-q', { filter: { nameContains: 'CLINIC net' } })).totalCount).toBe(1);
    expect((await venturesPage(pool, 'tenant-q', { filter: { nameContains: '%' } })).totalCount).toBe(0);
    expect(await ventureById(pool, 'tenant-q', foreign)).toBeUndefined();
    expect([...(await venturesByIds(pool, 'tenant-q', [solar, clinic, foreign])).keys()].sort()).toEqual([solar, clinic].sort());
    expect(await ventureById(pool, 'tenant-q', solar)).toMatchObject({ name: 'Sunrise Solar Cooperative', stage: 'SEED', version: 0, description: 'Pay-as-you-go solar kits' });
  });

  it('refuses a cursor of another list and a page size out of range', async () => {
    await expect(venturesPage(pool, 'tenant-a', { after: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidPageError);
    await expect(venturesPage(pool, 'tenant-a', { first: 101 })).rejects.toBeInstanceOf(InvalidPageError);
  });

  it('searches ventures with PostgreSQL full-text search: prefixes of any field, best match first, tenant-scoped, paged', async () => {
    const search = new PgVentureSearch(pool);
    expect((await search.search('tenant-q', 'sunr sol')).edges.map((e) => e.node.id)).toEqual([solar]);
    expect((await search.search('tenant-q', 'pay-as-you-go')).edges.map((e) => e.node.id)).toEqual([solar]);
    expect((await search.search('tenant-q', 'health')).edges.map((e) => e.node.id)).toEqual([clinic]);
    expect((await search.search('tenant-q', 'sunrise', { filter: { sector: 'Health' } })).totalCount).toBe(0);
    const paged = await walk((after) => search.search('tenant-a', 'solar', { first: 3, after }));
    expect(paged.length).toBe((await search.search('tenant-a', 'solar')).totalCount);
    expect(new Set(paged.map((v) => v.id)).size).toBe(paged.length);
  });

  it('answers GEDSI metrics of many ventures in one call, latest per metric and the per-period history', async () => {
    const ids = (await venturesPage(pool, 'tenant-a', { first: 50 })).edges.map((e) => e.node.id);
    const latest = await latestGedsiMetrics(pool, 'tenant-a', ids);
    const history = await gedsiMetricHistory(pool, 'tenant-a', ids);
    const withMetrics = ids.filter((id) => (latest.get(id) ?? []).length > 0);
    expect(withMetrics.length).toBeGreaterThan(0);
    for (const id of withMetrics) {
      for (const metric of latest.get(id) ?? []) {
        const periods = (history.get(id) ?? []).filter((h) => h.metricId === metric.metricId);
        expect(periods.map((p) => p.period)).toContain(metric.period);
        expect(periods[periods.length - 1]).toEqual(metric);
      }
    }
    expect((await latestGedsiMetrics(pool, 'tenant-other', ids)).get(ids[0] ?? '')).toEqual([]);
  });

  it('computes the GEDSI and capital dashboards in SQL exactly as a fold of their rows does, and as a replay up to now does', async () => {
    const replay = new DashboardReplay(pool, schemaRegistry());
    for (const filter of [{}, { sector: 'Energy' }, { country: 'KE', stage: 'SEED' as const }]) {
      const latest = (await viewRows(pool, gedsiLatestTable)).filter((r) => r['tenant'] === 'tenant-a');
      const facets = (await viewRows(pool, gedsiVenturesTable)).filter((r) => r['tenant'] === 'tenant-a');
      const sql = await gedsiDashboard(pool, 'tenant-a', filter);
      expect(roundFloats(sql)).toEqual(roundFloats(gedsiDashboardOf(facets, latest, filter)));
      expect(roundFloats(await replay.gedsi('tenant-a', filter, new Date().toISOString()))).toEqual(roundFloats(sql));

      const requests = (await viewRows(pool, capitalRequestsTable)).filter((r) => r['tenant'] === 'tenant-a');
      const capitalFacets = (await viewRows(pool, capitalVenturesTable)).filter((r) => r['tenant'] === 'tenant-a');
      const capital = await capitalDashboard(pool, 'tenant-a', filter);
      expect(capital).toEqual(capitalDashboardOf(capitalFacets, requests, filter));
      expect(await replay.capital('tenant-a', filter, new Date().toISOString())).toEqual(capital);
    }
    const all = await gedsiDashboard(pool, 'tenant-a');
    expect(all.ventures).toBeGreaterThan(0);
    expect(all.bySector.reduce((n, g) => n + g.ventures, 0)).toBe(all.ventures);
  });

  it('answers a dashboard as it stood at an earlier instant', async () => {
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5)); // instants have millisecond resolution
    const id = randomUUID();
    await store.append(`venture-${id}`, [ventureCreated(id, 'Later Venture', 'tenant-q')], expectRevision.noStream);
    await waitFor('catch-up', () => allCaughtUp(pool, raw, names));
    expect((await gedsiDashboard(pool, 'tenant-q')).ventures).toBe(3);
    expect((await new DashboardReplay(pool, schemaRegistry()).gedsi('tenant-q', {}, before)).ventures).toBe(2);
  });

  it('pages capital requests by venture and status, and batches them by venture ids', async () => {
    const all = await walk((after) => capitalRequestsPage(pool, 'tenant-a', { first: 25, after }));
    expect(all.length).toBe((await capitalRequestsPage(pool, 'tenant-a', {})).totalCount);
    const one = all[0];
    if (!one) throw new Error('the workload creates capital requests');
    expect(await capitalRequestById(pool, 'tenant-a', one.id)).toEqual(one);
    expect(await capitalRequestById(pool, 'tenant-q', one.id)).toBeUndefined();
    const byVenture = await capitalRequestsByVentureIds(pool, 'tenant-a', [one.ventureId]);
    expect(byVenture.get(one.ventureId)?.map((r) => r.id)).toContain(one.id);
    const committed = await walk((after) => capitalRequestsPage(pool, 'tenant-a', { status: 'COMMITTED', first: 25, after }));
    expect(committed.every((r) => r.status === 'COMMITTED')).toBe(true);
    expect(all.every((r) => /^\d+(\.\d{2})?$/.test(r.amount.amount))).toBe(true);
  });

  it('filters the audit trail by stream, type, actor and time through the audit index, paged, tenant-scoped', async () => {
    const history = await auditTrail(pool, 'tenant-q', { filter: { streamId: `venture-${solar}` } });
    expect(history.edges.map((e) => [e.node.type, e.node.revision])).toEqual([['VentureCreated', 0]]);
    expect(history.totalCount).toBe(1);
    expect((await auditTrail(pool, 'tenant-other', { filter: { streamId: `venture-${solar}` } })).totalCount).toBe(0);
    const created = await walk(async (after) => {
      const c = await auditTrail(pool, 'tenant-a', { filter: { types: ['VentureCreated'], actor: 'user-7' }, first: 5, after });
      return { ...c, totalCount: c.totalCount ?? 0 };
    });
    expect(created.length).toBeGreaterThan(0);
    expect(created.every((e) => e.type === 'VentureCreated' && e.metadata['actor'] === 'user-7')).toBe(true);
    const future = await auditTrail(pool, 'tenant-a', { filter: { from: new Date(Date.now() + 3_600_000).toISOString() } });
    expect(future.totalCount).toBe(0);
  });

  it('waits for a read model to reach a position (read-your-writes), and gives up after the timeout while it is paused', async () => {
    const readAfter = await ReadAfter.start(pool, db.url, 50);
    try {
      const id = randomUUID();
      const appended = await store.append(`venture-${id}`, [ventureCreated(id, 'Read After Write', 'tenant-q')], expectRevision.noStream);
      expect(await readAfter.waitFor(['ventures', 'gedsi'], appended.position, 10_000)).toBe(true);
      expect(await ventureById(pool, 'tenant-q', id)).toBeDefined();

      await pool.query(`UPDATE proj_projections SET paused = true WHERE name = 'ventures'; SELECT pg_notify('proj_control', 'pause ventures')`);
      await waitFor('paused', async () => (await pool.query<{ state: string }>(`SELECT state FROM proj_projections WHERE name = 'ventures'`)).rows[0]?.state === 'PAUSED');
      const next = await store.append(`venture-${id}`, [newEvent('VentureStageChanged', { ventureId: id, from: 'SEED', to: 'GROWTH' }, 'tenant-q')], expectRevision.exact(0));
      expect(await readAfter.waitFor(['ventures'], next.position, 300)).toBe(false);
      await pool.query(`UPDATE proj_projections SET paused = false WHERE name = 'ventures'; SELECT pg_notify('proj_control', 'resume ventures')`);
      expect(await readAfter.waitFor(['ventures'], next.position, 10_000)).toBe(true);
    } finally {
      await readAfter.close();
    }
  });
});

/** Averages summed in another order differ in the last bits. */
function roundFloats<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(9)) : v))) as T;
}
