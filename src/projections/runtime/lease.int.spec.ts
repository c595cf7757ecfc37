import type { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { PostgresEventStore } from '../../write-model/event-store/postgres/postgres-event-store';
import { startProjector, type Projector } from '../projector';
import { createVentures, renameVenture } from '../testing/fixtures';
import { probeProjection } from '../testing/probe-projection';
import { readWholeLog, silentLogger, waitFor, testPool } from '../testing/support';
import { heldLeases } from './lease';
import { migrateProjections } from './migrations';

/**
 * Two projector runtimes (separate pools, separate lease connections: as two processes would be) run the
 * same projection while events keep arriving. The probe table counts how often each event was applied and
 * by whom: exactly once each, by one writer, with one hand-over when the first holder's lease dies.
 */
describe('projection lease', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let pool: Pool;
  const projectors: Projector[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('proj_lease');
    store = await PostgresEventStore.create({ connectionString: db.url, poolSize: 3 });
    await migrateProjections(db.url);
    pool = testPool(db.url, 3);
  });
  afterAll(async () => {
    await Promise.all(projectors.map((p) => p.stop()));
    await pool.end();
    await store.close();
    await db.drop();
  });

  it('lets one of two projectors write at a time and hands over when the holder dies, every event applied exactly once', async () => {
    const ids = await createVentures(store, 200, 'tenant-a', 'Leased');
    const start = async (writer: string): Promise<Projector> => {
      const p = await startProjector({
        databaseUrl: db.url,
        logger: silentLogger(),
        projections: [probeProjection({ name: 'probe_lease', writer })],
        runtime: { tickMs: 50, readSize: 20, liveBatchEvents: 20 },
        instanceId: writer,
      });
      projectors.push(p);
      return p;
    };
    const [a, b] = await Promise.all([start('A'), start('B')]);
    const holders = (): string[] => [a, b].filter((p) => p.controllers[0]?.holdsLease).map((p) => (p === a ? 'A' : 'B'));
    await waitFor('a holder', () => holders().length === 1);
    const first = holders()[0];

    let writing = true;
    let i = 0;
    const samples: string[][] = [];
    const writer = (async () => {
      while (writing) {
        await renameVenture(store, ids[i % ids.length] ?? '', `Renamed ${i}`);
        i += 1;
        samples.push(holders());
      }
    })();
    await waitFor('some live events', () => i > 100);
    // The holder dies: its lease connection first (PostgreSQL releases the advisory lock at once, while a batch
    // may still be in flight on its pool), then the rest of it.
    await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [`projector-lease ${first}`]);
    await (first === 'A' ? a : b).stop();
    await waitFor('the other projector to take over', () => holders().length === 1 && holders()[0] !== first);
    await waitFor('more live events', () => i > 300);
    writing = false;
    await writer;

    const head = await store.headPosition();
    await waitFor('catch-up', async () => {
      const res = await pool.query<{ position: string }>(`SELECT position FROM proj_generations WHERE projection = 'probe_lease' AND status = 'live'`);
      return res.rows[0]?.position === head;
    });
    expect(samples.every((s) => s.length <= 1)).toBe(true);
    expect([...(await heldLeases(pool, ['probe_lease']))]).toEqual(['probe_lease']);

    const applied = await pool.query<{ position: string; writer: string; applied: number }>(
      'SELECT t.position::text AS position, t.writer, t.applied FROM rm_probe_lease_applied t ORDER BY t.position',
    );
    const log = (await readWholeLog(store)).filter((e) => e.streamId.startsWith('venture-'));
    expect(applied.rows.map((r) => r.position)).toEqual(log.map((e) => e.position));
    expect(applied.rows.filter((r) => r.applied !== 1)).toEqual([]);
    const switches = applied.rows.filter((r, k) => k > 0 && r.writer !== applied.rows[k - 1]?.writer);
    expect(switches).toHaveLength(1);
    expect(applied.rows[0]?.writer).toBe(first);
    expect(switches[0]?.writer).not.toBe(first);
  });
});
