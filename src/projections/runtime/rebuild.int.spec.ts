import type { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { schemaRegistry } from '../../shared/schemas/schema-registry';
import { PostgresEventStore } from '../../write-model/event-store/postgres/postgres-event-store';
import { ProjectionsService, type ProjectionStatus } from '../projections.service';
import { startProjector, type Projector } from '../projector';
import { createVentures, renameVenture } from '../testing/fixtures';
import { probeProjection } from '../testing/probe-projection';
import { readWholeLog, silentLogger, viewRows, waitFor, testPool } from '../testing/support';
import { Catalog } from './catalog';
import { projectInMemory, rowsOf } from './fold';
import { migrateProjections } from './migrations';
import type { PgProjection } from './projection';

describe('zero-downtime rebuilds', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let pool: Pool;
  let service: ProjectionsService;
  const projectors: Projector[] = [];

  beforeEach(async () => {
    db = await createTestDatabase('proj_rb');
    store = await PostgresEventStore.create({ connectionString: db.url, poolSize: 3 });
    await migrateProjections(db.url);
    pool = testPool(db.url, 3);
    service = new ProjectionsService(pool, []);
  });
  afterEach(async () => {
    await Promise.all(projectors.splice(0).map((p) => p.stop()));
    await pool.end();
    await store.close();
    await db.drop();
  });

  // Small batches make the rebuild slow enough to watch both generations run side by side.
  const start = async (projection: PgProjection): Promise<Projector> => {
    const projector = await startProjector({
      databaseUrl: db.url,
      logger: silentLogger(),
      projections: [projection],
      runtime: { tickMs: 100, readSize: 100, buildBatchEvents: 100 },
    });
    projectors.push(projector);
    return projector;
  };
  const catalog = () => new Catalog(pool);
  const live = async (name: string) => (await catalog().generations(name)).find((g) => g.status === 'live');
  const building = async (name: string) => (await catalog().generations(name)).find((g) => g.status === 'building');
  const caughtUp = async (name: string): Promise<boolean> => {
    const head = await store.headPosition();
    return (await building(name)) === undefined && (await live(name))?.position === head;
  };
  const tables = async (prefix: string): Promise<string[]> =>
    (await pool.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE tablename LIKE $1 ORDER BY 1`, [`${prefix}%`])).rows.map((r) => r.t);

  /** The read model equals a fold of the whole log in memory, and every event was applied exactly once. */
  async function expectEqualToCleanFold(projection: PgProjection): Promise<void> {
    const events = (await readWholeLog(store)).filter((e) => projection.canHandle.includes(e.type)).map((e) => schemaRegistry().upcast(e));
    const expected = projectInMemory(projection.views, events);
    const ventures = projection.views[0]?.table;
    const applied = projection.views[1]?.table;
    if (!ventures || !applied) throw new Error('probe projection has two views');
    const sortById = (rows: readonly Record<string, unknown>[]) => [...rows].sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
    const complete = (row: Record<string, unknown>) => Object.fromEntries(ventures.columns.map((c) => [c.name, row[c.name] ?? null]));
    expect(sortById(await viewRows(pool, ventures))).toEqual(sortById(rowsOf(expected, 0).map(complete)));
    const probe = await viewRows(pool, applied);
    expect(probe).toHaveLength(events.length);
    expect(probe.filter((r) => r['applied'] !== 1)).toEqual([]);
  }

  it('builds the next generation while the live one serves and keeps up, then swaps without losing events appended meanwhile', async () => {
    const projection = probeProjection({ name: 'probe_rb' });
    const ids = await createVentures(store, 1500, 'tenant-a', 'Seed');
    await start(projection);
    await waitFor('initial build', () => caughtUp('probe_rb'));

    await service.rebuild('probe_rb');
    let writing = true;
    let renames = 0;
    const writer = (async () => {
      while (writing) {
        await renameVenture(store, ids[renames % ids.length] ?? '', `Renamed ${renames}`);
        renames += 1;
      }
    })();
    const samples: { status: ProjectionStatus; servedRows: number; livePosition: string | undefined }[] = [];
    await waitFor(
      'the swap to generation 2',
      async () => {
        const status = await service.status('probe_rb');
        const served = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM rm_probe_rb_ventures');
        samples.push({ status, servedRows: served.rows[0]?.n ?? 0, livePosition: (await live('probe_rb'))?.position });
        return status.liveGeneration === 2;
      },
      120_000,
      20,
    );
    writing = false;
    await writer;
    await waitFor('catch-up after the swap', () => caughtUp('probe_rb'));

    const during = samples.filter((s) => s.status.rebuild !== null);
    expect(during.length).toBeGreaterThan(2);
    expect(during.every((s) => s.servedRows === 1500)).toBe(true);
    expect(during.filter((s) => s.status.state === 'REBUILDING').length).toBeGreaterThan(1);
    expect(during.every((s) => (s.status.rebuildProgress ?? -1) >= 0 && (s.status.rebuildProgress ?? 2) <= 1)).toBe(true);
    const livePositions = during.map((s) => BigInt(s.livePosition ?? '0'));
    expect(livePositions[livePositions.length - 1]).toBeGreaterThan(livePositions[0] ?? 0n);
    expect(renames).toBeGreaterThan(0);
    expect(await tables('rm_probe_rb_')).toEqual(['rm_probe_rb_applied_g2', 'rm_probe_rb_ventures_g2']);
    expect((await catalog().generations('probe_rb')).map((g) => [g.generation, g.status])).toEqual([[2, 'live']]);
    await expectEqualToCleanFold(projection);
  });

  it('rebuilds at start when the projection version changed; the old generation keeps up while its layout is the same', async () => {
    await createVentures(store, 800, 'tenant-a', 'Versioned');
    const v1 = await start(probeProjection({ name: 'probe_ver' }));
    await waitFor('v1 build', () => caughtUp('probe_ver'));
    await v1.stop();

    const v2 = probeProjection({ name: 'probe_ver', version: 2 });
    await start(v2);
    await waitFor('a rebuild to start', async () => (await building('probe_ver')) !== undefined || (await live('probe_ver'))?.version === 2);
    const [late] = await createVentures(store, 1, 'tenant-a', 'Appended during the rebuild');
    await waitFor('v2 live', async () => (await live('probe_ver'))?.version === 2);
    await waitFor('catch-up', () => caughtUp('probe_ver'));
    expect((await live('probe_ver'))?.generation).toBe(2);
    expect((await pool.query('SELECT id FROM rm_probe_ver_ventures WHERE id = $1', [late])).rowCount).toBe(1);
    await expectEqualToCleanFold(v2);
  });

  it('rebuilds into a new table layout and swaps the view to it', async () => {
    await createVentures(store, 300, 'tenant-a', 'Layout');
    const v1 = await start(probeProjection({ name: 'probe_lay' }));
    await waitFor('v1 build', () => caughtUp('probe_lay'));
    await v1.stop();

    const v2 = probeProjection({ name: 'probe_lay', version: 2, extraColumn: true });
    await start(v2);
    await waitFor('v2 live', async () => (await live('probe_lay'))?.version === 2);
    await waitFor('catch-up', () => caughtUp('probe_lay'));
    const columns = await pool.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'rm_probe_lay_ventures' ORDER BY ordinal_position`,
    );
    expect(columns.rows.map((r) => r.column_name)).toContain('extra');
    expect(await tables('rm_probe_lay_')).toEqual(['rm_probe_lay_applied_g2', 'rm_probe_lay_ventures_g2']);
    await expectEqualToCleanFold(v2);
  });
});
