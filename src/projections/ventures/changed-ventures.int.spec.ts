import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { LocalVentureChanges, type VentureChange } from '../../read-api/subscriptions/venture-changes';
import { expect as expectRevision, type StoredEvent } from '../../write-model/event-store/event-store.port';
import { PostgresEventStore } from '../../write-model/event-store/postgres/postgres-event-store';
import { ProjectionsService } from '../projections.service';
import { startProjector, type Projector } from '../projector';
import { Catalog } from '../runtime/catalog';
import { CommittedNotices } from '../runtime/committed-notices';
import { newEvent, renameVenture, ventureCreated } from '../testing/fixtures';
import { silentLogger, testPool, waitFor } from '../testing/support';
import { ventureChangeHook } from './changed-ventures';
import { venturesProjection } from './ventures.projection';
import { ventureById } from './ventures.queries';

interface Told {
  readonly change: VentureChange;
  /** The venture as the read model had it when the notification came (read right then). */
  readonly read: Promise<{ name: string; stage: string } | undefined>;
}

describe('the projector notifies venture changes after the ventures read model committed them', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let pool: Pool;
  let projector: Projector;
  const told: Told[] = [];
  const boom = randomUUID();
  const [alpha, beta, gamma] = [randomUUID(), randomUUID(), randomUUID()];

  const toldAbout = (ventureId: string): Told[] => told.filter((t) => t.change.ventureId === ventureId);
  const create = (id: string, name: string, tenant = 'tenant-a') => store.append(`venture-${id}`, [ventureCreated(id, name, tenant)], expectRevision.noStream);
  const liveGeneration = async () => (await new Catalog(pool).generations('ventures')).find((g) => g.status === 'live')?.generation;

  beforeAll(async () => {
    db = await createTestDatabase('proj_changes');
    store = await PostgresEventStore.create({ connectionString: db.url, poolSize: 3 });
    pool = testPool(db.url, 3);
    const changes = new LocalVentureChanges();
    changes.onChange((change) => {
      const read = ventureById(pool, change.tenant, change.ventureId).then((v) => v && { name: v.name, stage: v.stage });
      told.push({ change, read });
    });
    const notify = ventureChangeHook(changes);
    projector = await startProjector({
      databaseUrl: db.url,
      logger: silentLogger(),
      only: ['ventures'],
      runtime: { tickMs: 50 },
      onCommitted: (projection, events) => {
        notify(projection, events);
        if (events.some((e) => e.data['ventureId'] === boom)) throw new Error('a hook that fails');
      },
    });
  });
  afterAll(async () => {
    await projector.stop();
    await pool.end();
    await store.close();
    await db.drop();
  });

  it('tells each created or updated venture with its tenant, and the row is readable when it is told', async () => {
    await create(alpha, 'Alpha');
    await create(beta, 'Beta', 'tenant-b');
    await waitFor('both ventures told', () => toldAbout(alpha).length > 0 && toldAbout(beta).length > 0);
    expect(toldAbout(alpha).map((t) => t.change)).toEqual([{ tenant: 'tenant-a', ventureId: alpha }]);
    expect(toldAbout(beta).map((t) => t.change)).toEqual([{ tenant: 'tenant-b', ventureId: beta }]);
    expect(await toldAbout(alpha)[0]?.read).toEqual({ name: 'Alpha', stage: 'SEED' });
    expect(await toldAbout(beta)[0]?.read).toEqual({ name: 'Beta', stage: 'SEED' });

    told.length = 0;
    await renameVenture(store, alpha, 'Alpha Renamed');
    await waitFor('rename told', () => toldAbout(alpha).length > 0);
    expect(await Promise.all(told.map((t) => t.read))).toEqual([{ name: 'Alpha Renamed', stage: 'SEED' }]);
  });

  it('tells a venture once for a batch that changed it twice', async () => {
    told.length = 0;
    const twice = [newEvent('VentureProfileUpdated', { ventureId: alpha, changes: { name: 'Alpha Twice' } }), newEvent('VentureStageChanged', { ventureId: alpha, from: 'SEED', to: 'GROWTH' })];
    await store.append(`venture-${alpha}`, twice, expectRevision.exact(1));
    // Notifications come in commit order: once gamma is told, everything about the earlier append was.
    await create(gamma, 'Gamma');
    await waitFor('gamma told', () => toldAbout(gamma).length > 0);
    expect(toldAbout(alpha)).toHaveLength(1);
    expect(await toldAbout(alpha)[0]?.read).toEqual({ name: 'Alpha Twice', stage: 'GROWTH' });
  });

  it('keeps projecting and telling when the hook throws', async () => {
    await create(boom, 'Boom');
    const after = randomUUID();
    await create(after, 'After Boom');
    await waitFor('the venture after the failing hook told', () => toldAbout(after).length > 0);
    expect(await toldAbout(after)[0]?.read).toEqual({ name: 'After Boom', stage: 'SEED' });
  });

  it('tells nothing while a rebuild builds the next generation, then tells from the swapped-in generation', async () => {
    const before = await liveGeneration();
    told.length = 0;
    await new ProjectionsService(pool, ['ventures']).rebuild('ventures');
    await waitFor('rebuild swapped in', async () => {
      const gens = await new Catalog(pool).generations('ventures');
      return gens.every((g) => g.status !== 'building') && (gens.find((g) => g.status === 'live')?.generation ?? 0) > (before ?? 0);
    });
    await renameVenture(store, beta, 'Beta After Rebuild', 'tenant-b');
    await waitFor('rename after the rebuild told', () => toldAbout(beta).length > 0);
    // A rebuild replays every venture: had it told, alpha, gamma and the others would be here too.
    expect(told.map((t) => t.change)).toEqual([{ tenant: 'tenant-b', ventureId: beta }]);
    expect(await told[0]?.read).toEqual({ name: 'Beta After Rebuild', stage: 'SEED' });
  });

  it('tells what a swap applied past the old live checkpoint, and only the events the projection handles', async () => {
    const batches: (readonly StoredEvent[])[] = [];
    const notices = new CommittedNotices({
      projection: venturesProjection,
      store,
      logger: silentLogger(),
      options: { readSize: 2, liveBatchEvents: 10, buildBatchEvents: 10, tickMs: 50 },
      onCommitted: (_projection, events) => batches.push(events),
    });
    const [one, two, three] = [randomUUID(), randomUUID(), randomUUID()];
    const first = await create(one, 'One');
    await create(two, 'Two');
    await store.append('gedsi-x', [newEvent('GEDSIMetricUpdated', { ventureId: two, metricId: 'm', period: '2026-Q1', value: 1 })], expectRevision.any);
    const last = await create(three, 'Three');
    await create(randomUUID(), 'Past the swap');
    await notices.range(first.position, last.position);
    expect(batches.flat().map((e) => [e.type, e.data['ventureId']])).toEqual([
      ['VentureCreated', two],
      ['VentureCreated', three],
    ]);
  });
});
