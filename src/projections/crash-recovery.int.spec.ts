import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@elastic/elasticsearch';
import type { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { schemaRegistry } from '../shared/schemas/schema-registry';
import { PostgresEventStore } from '../write-model/event-store/postgres/postgres-event-store';
import { ValidatingEventStore } from '../write-model/event-store/validating-event-store';
import { pgProjections } from './all-projections';
import { ProjectionsService } from './projections.service';
import { startProjector } from './projector';
import { heldLeases } from './runtime/lease';
import { migrateProjections } from './runtime/migrations';
import { deleteIndexes, indexHash, testIndexPrefix } from './testing/elasticsearch';
import { ProjectorProcess } from './testing/projector-process';
import { allCaughtUp, silentLogger, tableHash, waitFor, testPool } from './testing/support';
import { Workload } from './testing/workload';

const projections = pgProjections();
/** With Elasticsearch (ELASTICSEARCH_URL), the venture index is killed, rebuilt and compared too. */
const esUrl = process.env['ELASTICSEARCH_URL']?.trim() || undefined;
const pgNames = projections.map((p) => p.name);
const names = [...pgNames, ...(esUrl ? ['venture_search'] : [])];
const SEED_EVENTS = 100_000;
const KILLS = 10;

/** Every read model table's fingerprint (md5 over its rows in key order), through the views readers use. */
async function fingerprints(pool: Pool): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of projections) for (const v of p.views) out[v.table.name] = await tableHash(pool, v.table);
  return out;
}

/** The same log (same positions, same bytes) in another database. */
async function copyLog(from: Pool, to: Pool): Promise<void> {
  for (let after = '0'; ; ) {
    const res = await from.query<{ rows: string | null; last: string | null }>(
      `SELECT json_agg(e ORDER BY e.position)::text AS rows, max(e.position)::text AS last
       FROM (SELECT * FROM es_events WHERE position > $1 ORDER BY position LIMIT 10000) e`,
      [after],
    );
    const { rows, last } = res.rows[0] ?? { rows: null, last: null };
    if (rows === null || last === null) return;
    await to.query('INSERT INTO es_events SELECT * FROM json_populate_recordset(NULL::es_events, $1::json)', [rows]);
    after = last;
  }
}

/**
 * The fault the runtime exists for: the projector process is killed with SIGKILL at random moments (at least
 * ten times while a rebuild of 100,000+ events runs, new events arriving all along). Once a last process has
 * finished, every read model must equal one built cleanly in one pass from the same log.
 */
describe('projector killed with SIGKILL during a rebuild', () => {
  let db: TestDatabase;
  let clean: TestDatabase | undefined;
  let raw: PostgresEventStore;
  let pool: Pool;
  const children: ProjectorProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('proj_kill');
    raw = await PostgresEventStore.create({ connectionString: db.url, poolSize: 8 });
    await migrateProjections(db.url);
    pool = testPool(db.url, 3);
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await pool.end();
    await raw.close();
    await db.drop();
    await clean?.drop();
  });

  it('leaves every read model equal to a clean one-pass build after 10+ kills mid-rebuild with live appends', async () => {
    const store = new ValidatingEventStore(raw, schemaRegistry());
    const workload = new Workload(2024);
    await workload.appendAtLeast(store, SEED_EVENTS, 8);
    const prefix = testIndexPrefix();
    const env = {
      DATABASE_URL: db.url,
      PROJECTOR_TICK_MS: '100',
      PROJECTOR_BUILD_BATCH: '2000',
      PROJECTOR_READ_SIZE: '1000',
      ...(esUrl && { ELASTICSEARCH_URL: esUrl, ELASTICSEARCH_INDEX_PREFIX: prefix }),
    };
    const spawnProjector = (): ProjectorProcess => {
      const child = ProjectorProcess.spawn(env);
      children.push(child);
      return child;
    };

    // Generation 1 of every read model, built without faults.
    const first = spawnProjector();
    await first.whenStarted();
    await waitFor('the initial build', () => allCaughtUp(pool, raw, names), 180_000, 200);
    first.kill('SIGKILL');
    await first.exited;

    let writing = true;
    let appended = 0;
    const writer = (async () => {
      while (writing) {
        const planned = workload.next();
        await store.append(planned.streamId, planned.events, planned.expected);
        appended += planned.events.length;
        await sleep(10);
      }
    })();

    const service = new ProjectionsService(pool, names);
    for (const name of names) await service.rebuild(name);
    let killsDuringRebuild = 0;
    let rebuildsRequested = 1;
    while (killsDuringRebuild < KILLS) {
      const child = spawnProjector();
      await child.whenStarted();
      await sleep(150 + Math.random() * 1500);
      const building = await pool.query(`SELECT 1 FROM proj_generations WHERE status = 'building'`);
      child.kill('SIGKILL');
      await child.exited;
      if ((building.rowCount ?? 0) > 0) killsDuringRebuild += 1;
      const stillBuilding = await pool.query(`SELECT 1 FROM proj_generations WHERE status = 'building'`);
      if ((stillBuilding.rowCount ?? 0) === 0 && killsDuringRebuild < KILLS) {
        for (const name of names) await service.rebuild(name);
        rebuildsRequested += 1;
      }
    }

    const last = spawnProjector();
    await last.whenStarted();
    await sleep(1000);
    writing = false;
    await writer;
    await waitFor('the last projector to finish the rebuilds and catch up', () => allCaughtUp(pool, raw, names), 180_000, 200);
    last.kill('SIGTERM');
    expect(await last.exited).toBe(0);
    expect([...(await heldLeases(pool, names))]).toEqual([]);

    const generations = await pool.query<{ projection: string; generation: number; status: string }>(
      'SELECT projection, generation, status FROM proj_generations ORDER BY projection',
    );
    expect(generations.rows.every((g) => g.status === 'live' && g.generation > 1)).toBe(true);
    expect(generations.rows).toHaveLength(names.length);
    expect((await pool.query(`SELECT 1 FROM pg_tables WHERE tablename ~ '^rm_.*_g[0-9]+$'`)).rowCount).toBe(
      projections.reduce((n, p) => n + p.views.length, 0),
    );
    expect((await service.list()).map((s) => [s.name, s.deadLetters, s.lag])).toEqual(names.map((n) => [n, 0, 0]).sort());
    const killed = await fingerprints(pool);
    const es = esUrl ? new Client({ node: esUrl }) : undefined;
    const cleanPrefix = testIndexPrefix();
    if (es) killed['venture_search'] = await indexHash(es, `${prefix}ventures`);

    clean = await createTestDatabase('proj_clean');
    const cleanStore = await PostgresEventStore.create({ connectionString: clean.url, poolSize: 2 });
    const cleanPool = testPool(clean.url, 2);
    try {
      await copyLog(pool, cleanPool);
      const onePass = await startProjector({
        databaseUrl: clean.url,
        logger: silentLogger(),
        runtime: { tickMs: 100 },
        ...(esUrl && { elasticsearchUrl: esUrl, elasticsearchIndexPrefix: cleanPrefix }),
      });
      await waitFor('the clean one-pass build', () => allCaughtUp(cleanPool, cleanStore, names), 180_000, 200);
      await onePass.stop();
      const expected = await fingerprints(cleanPool);
      if (es) expected['venture_search'] = await indexHash(es, `${cleanPrefix}ventures`);
      expect(killed).toEqual(expected);
      expect(Object.values(expected).every((h) => !h.startsWith('0:'))).toBe(true);
    } finally {
      await cleanPool.end();
      await cleanStore.close();
      if (es) {
        await deleteIndexes(es, prefix);
        await deleteIndexes(es, cleanPrefix);
        await es.close();
      }
    }
    expect(killsDuringRebuild).toBeGreaterThanOrEqual(KILLS);
    expect(appended).toBeGreaterThan(0);
    console.log(`[kill -9] ${killsDuringRebuild} kills during ${rebuildsRequested} rebuild(s) of ${SEED_EVENTS + appended} events; ${appended} appended meanwhile`);
  }, 420_000);

  it('runs two projector processes with one lease holder per projection; the other takes over what a killed one held', async () => {
    const store = new ValidatingEventStore(raw, schemaRegistry());
    const workload = new Workload(77);
    const env = { DATABASE_URL: db.url, PROJECTOR_TICK_MS: '100', ELASTICSEARCH_URL: '' };
    const [a, b] = [ProjectorProcess.spawn(env), ProjectorProcess.spawn(env)];
    children.push(a, b);
    await Promise.all([a.whenStarted(), b.whenStarted()]);
    const ownerPids = async (): Promise<number[]> =>
      (await pool.query<{ lease_owner: string | null }>('SELECT lease_owner FROM proj_projections WHERE name = ANY($1::text[])', [pgNames])).rows.map((r) =>
        Number(r.lease_owner?.split(':').pop()),
      );
    // A new holder takes the advisory lock first and then records itself (with the fencing token) in a second
    // transaction: until then the row still names the holder of the previous test, killed with SIGKILL.
    await waitFor('every lease held and recorded', async () =>
      (await heldLeases(pool, pgNames)).size === pgNames.length && (await ownerPids()).every((pid) => pid === a.pid || pid === b.pid),
    );
    const locks = await pool.query<{ objid: string; n: number }>(
      `SELECT objid::text, count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = 727 AND objsubid = 2 AND granted GROUP BY objid`,
    );
    expect(locks.rows.every((r) => r.n === 1)).toBe(true);
    expect((await ownerPids()).every((pid) => pid === a.pid || pid === b.pid)).toBe(true);

    // Whichever projections `a` holds, `b` must take them over once `a` is gone.
    const waiting = b;
    a.kill('SIGKILL');
    await a.exited;
    await workload.appendAtLeast(store, 200, 2);
    await waitFor('the waiting process to take over and catch up', () => allCaughtUp(pool, raw, pgNames), 60_000, 100);
    const after = await pool.query<{ lease_owner: string }>('SELECT DISTINCT lease_owner FROM proj_projections WHERE name = ANY($1::text[])', [pgNames]);
    expect(after.rows.map((r) => Number(r.lease_owner.split(':').pop()))).toEqual([waiting.pid]);
    waiting.kill('SIGTERM');
    expect(await waiting.exited).toBe(0);
  }, 120_000);
});
