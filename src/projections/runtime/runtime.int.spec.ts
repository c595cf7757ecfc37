import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { schemaRegistry } from '../../shared/schemas/schema-registry';
import { expect as expectRevision } from '../../write-model/event-store/event-store.port';
import { PostgresEventStore } from '../../write-model/event-store/postgres/postgres-event-store';
import { ProjectionsService } from '../projections.service';
import { startProjector, type Projector } from '../projector';
import { createVentures, newEvent, renameVenture } from '../testing/fixtures';
import { probeProjection } from '../testing/probe-projection';
import { readWholeLog, silentLogger, waitFor, testPool } from '../testing/support';
import { Catalog } from './catalog';
import { DeadLetters } from './dead-letters';
import { LeaseLostError, takeFencingToken } from './lease';
import { migrateProjections } from './migrations';
import { PgGenerationStore } from './pg-generation-store';
import type { PgProjection } from './projection';

describe('projection runtime on PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let pool: Pool;
  let service: ProjectionsService;
  const projectors: Projector[] = [];

  // A database per test: a poison event stays in the log for good, and must not leak into the next test.
  beforeEach(async () => {
    db = await createTestDatabase('proj_rt');
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

  const start = async (projection: PgProjection, instanceId = 'test'): Promise<Projector> => {
    const projector = await startProjector({ databaseUrl: db.url, logger: silentLogger(), projections: [projection], runtime: { tickMs: 100 }, instanceId });
    projectors.push(projector);
    return projector;
  };
  const rows = async (table: string): Promise<Record<string, unknown>[]> => (await pool.query<Record<string, unknown>>(`SELECT * FROM rm_${table} ORDER BY 1`)).rows;
  const caughtUp = async (name: string): Promise<boolean> => {
    const head = await store.headPosition();
    const res = await pool.query<{ position: string | null }>(`SELECT position FROM proj_generations WHERE projection = $1 AND status = 'live'`, [name]);
    return res.rows[0]?.position === head;
  };
  const generation = async (name: string) => (await new Catalog(pool).generations(name)).find((g) => g.status === 'live');

  /** A generation created by a projector that then stopped, and an applier holding a fresh fencing token. */
  async function idleGeneration(projection: PgProjection) {
    const projector = await start(projection);
    await waitFor('generation 1', async () => (await generation(projection.name)) !== undefined);
    await projector.stop();
    const token = await takeFencingToken(pool, projection.name, 'test-direct');
    const target = new PgGenerationStore(projection, {
      pool,
      catalog: new Catalog(pool),
      deadLetters: new DeadLetters(pool),
      canHandle: new Set(projection.canHandle),
      compare: (a, b) => store.comparePositions(a, b),
      upcast: (e) => schemaRegistry().upcast(e),
    });
    return { token, target };
  }

  it('commits rows and checkpoint together: a replayed batch changes nothing and a failed one leaves nothing', async () => {
    const projection = probeProjection({ name: 'probe_tx' });
    const { token, target } = await idleGeneration(projection);
    const log0 = (await readWholeLog(store)).length;
    await createVentures(store, 6, 'tenant-a', 'Atomic');
    const all = await readWholeLog(store);
    const firstBatch = all.slice(0, log0 + 3);
    const secondBatch = all.slice(log0 + 3);
    const applier = target.applier(1, token, false);
    await applier.checkpoint();

    const first = await applier.apply(firstBatch, 0);
    const afterFirst = await rows('probe_tx_applied');
    const replay = await applier.apply(firstBatch, 0);
    expect(replay.position).toBe(first.position);
    expect(await rows('probe_tx_applied')).toEqual(afterFirst);
    expect((await generation('probe_tx'))?.eventsProcessed).toBe(firstBatch.length);

    const failing = secondBatch[1]?.position;
    await pool.query(`CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF NEW.position = ${failing} THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$`);
    await pool.query('CREATE TRIGGER boom BEFORE INSERT ON rm_probe_tx_applied_g1 FOR EACH ROW EXECUTE FUNCTION boom()');
    await expect(applier.apply(secondBatch, 0)).rejects.toThrow('disk full');
    expect(await rows('probe_tx_applied')).toEqual(afterFirst);
    expect((await generation('probe_tx'))?.position).toBe(first.position);

    await pool.query('DROP TRIGGER boom ON rm_probe_tx_applied_g1');
    await applier.apply(all, 0);
    const applied = await rows('probe_tx_applied');
    expect(applied).toHaveLength(all.length);
    expect(applied.every((r) => r['applied'] === 1)).toBe(true);
    expect((await rows('probe_tx_ventures')).filter((r) => String(r['name']).startsWith('Atomic'))).toHaveLength(6);
    expect((await generation('probe_tx'))?.eventsProcessed).toBe(all.length);
  });

  it('refuses every write of a holder whose fencing token another process has taken', async () => {
    const projection = probeProjection({ name: 'probe_fence' });
    const { token, target } = await idleGeneration(projection);
    const stale = target.applier(1, token, false);
    await stale.checkpoint();
    await takeFencingToken(pool, 'probe_fence', 'the-new-holder');
    await createVentures(store, 2, 'tenant-a', 'Fenced');
    await expect(stale.apply(await readWholeLog(store), 0)).rejects.toBeInstanceOf(LeaseLostError);
    expect(await rows('probe_fence_applied')).toEqual([]);
  });

  it('dead-letters a poison event with its error and applies the rest of the log (skip policy); retry and skip resolve it', async () => {
    const poison = new Set<string>();
    const projection = probeProjection({ name: 'probe_skip', poison, onPoison: 'skip' });
    const [a, b] = [randomUUID(), randomUUID()];
    const poisoned = newEvent('VentureCreated', { ventureId: a, name: 'Poisoned', sector: 'Energy', country: 'KE', stage: 'SEED', description: null });
    poison.add(poisoned.eventId);
    await store.append(`venture-${a}`, [poisoned], expectRevision.noStream);
    // Invalid stored data (no stage): the upcaster's validation refuses it.
    await store.append(`venture-${b}`, [newEvent('VentureCreated', { ventureId: b, name: 'Broken', sector: 'Energy', country: 'KE', description: null })], expectRevision.noStream);
    await renameVenture(store, a, 'Poisoned, renamed');
    const [after] = await createVentures(store, 1, 'tenant-a', 'After poison');
    await start(projection);
    await waitFor('catch-up', () => caughtUp('probe_skip'));

    const letters = await service.deadLetters('probe_skip');
    expect(letters.map((l) => [l.type, l.streamId, l.status])).toEqual([
      ['VentureCreated', `venture-${a}`, 'pending'],
      ['VentureCreated', `venture-${b}`, 'pending'],
    ]);
    expect(letters[0]?.error).toContain('probe poison');
    expect(letters[1]?.error).toMatch(/SchemaValidationError.*stage/);
    const names = (await rows('probe_skip_ventures')).map((r) => r['id']);
    expect(names).toContain(after);
    expect(names).not.toContain(a);
    expect((await service.status('probe_skip')).deadLetters).toBe(2);

    poison.delete(poisoned.eventId);
    await service.retryDeadLetter('probe_skip', letters[0]?.id ?? '');
    await waitFor('retry', async () => (await service.deadLetter('probe_skip', letters[0]?.id ?? '')).status === 'retried');
    const retried = (await rows('probe_skip_ventures')).find((r) => r['id'] === a);
    expect(retried?.['name']).toBe('Poisoned, renamed');

    await service.retryDeadLetter('probe_skip', letters[1]?.id ?? '');
    await waitFor('second retry', async () => (await service.deadLetter('probe_skip', letters[1]?.id ?? '')).attempts === 2);
    expect((await service.deadLetter('probe_skip', letters[1]?.id ?? '')).status).toBe('pending');
    await service.skipDeadLetter('probe_skip', letters[1]?.id ?? '');
    expect((await service.status('probe_skip')).deadLetters).toBe(0);
  });

  it('stops at a poison event (stop policy) until an operator skips it, then applies the rest', async () => {
    const poison = new Set<string>();
    const projection = probeProjection({ name: 'probe_stop', poison, onPoison: 'stop' });
    await start(projection);
    await waitFor('catch-up', () => caughtUp('probe_stop'));
    const before = (await generation('probe_stop'))?.position;
    const id = randomUUID();
    const bad = newEvent('VentureCreated', { ventureId: id, name: 'Stopper', sector: 'Energy', country: 'KE', stage: 'SEED', description: null });
    poison.add(bad.eventId);
    await store.append(`venture-${id}`, [bad], expectRevision.noStream);
    const [later] = await createVentures(store, 2, 'tenant-a', 'Behind the stopper');

    await waitFor('FAILED', async () => (await service.status('probe_stop')).state === 'FAILED');
    expect((await generation('probe_stop'))?.position).toBe(before);
    expect((await rows('probe_stop_ventures')).map((r) => r['id'])).not.toContain(later);
    const [letter] = await service.deadLetters('probe_stop');
    expect(letter?.eventId).toBe(bad.eventId);

    await service.skipDeadLetter('probe_stop', letter?.id ?? '');
    await waitFor('catch-up after skip', () => caughtUp('probe_stop'));
    expect((await rows('probe_stop_ventures')).map((r) => r['id'])).toEqual(expect.arrayContaining([later]));
    expect((await rows('probe_stop_ventures')).map((r) => r['id'])).not.toContain(id);
    await waitFor('RUNNING', async () => (await service.status('probe_stop')).state === 'RUNNING');
  });

  it('retries a stop-policy dead letter from the checkpoint once the cause is fixed', async () => {
    const poison = new Set<string>();
    const projection = probeProjection({ name: 'probe_fix', poison, onPoison: 'stop' });
    await start(projection);
    const id = randomUUID();
    const bad = newEvent('VentureCreated', { ventureId: id, name: 'Fixable', sector: 'Energy', country: 'KE', stage: 'SEED', description: null });
    poison.add(bad.eventId);
    await store.append(`venture-${id}`, [bad], expectRevision.noStream);
    await waitFor('FAILED', async () => (await service.status('probe_fix')).state === 'FAILED');
    const [letter] = await service.deadLetters('probe_fix');

    poison.delete(bad.eventId);
    await service.retryDeadLetter('probe_fix', letter?.id ?? '');
    await waitFor('catch-up after retry', () => caughtUp('probe_fix'));
    expect((await rows('probe_fix_ventures')).map((r) => r['id'])).toContain(id);
    expect((await service.deadLetter('probe_fix', letter?.id ?? '')).status).toBe('retried');
  });

  it('pauses (nothing applied, state PAUSED) and resumes from the checkpoint', async () => {
    const projection = probeProjection({ name: 'probe_pause' });
    await start(projection);
    await waitFor('catch-up', () => caughtUp('probe_pause'));
    await service.pause('probe_pause');
    await waitFor('PAUSED', async () => (await service.status('probe_pause')).state === 'PAUSED');
    const [id] = await createVentures(store, 1, 'tenant-a', 'While paused');
    const paused = await service.status('probe_pause');
    expect(paused.lag).toBe(1);
    expect((await rows('probe_pause_ventures')).map((r) => r['id'])).not.toContain(id);

    await service.resume('probe_pause');
    await waitFor('catch-up after resume', () => caughtUp('probe_pause'));
    expect((await rows('probe_pause_ventures')).map((r) => r['id'])).toContain(id);
    await waitFor('RUNNING', async () => (await service.status('probe_pause')).state === 'RUNNING');
  });

  it('reports STOPPED for a projection no process holds, with its position, head and lag', async () => {
    const projection = probeProjection({ name: 'probe_status' });
    const projector = await start(projection);
    await waitFor('catch-up', () => caughtUp('probe_status'));
    await projector.stop();
    await createVentures(store, 3, 'tenant-a', 'Unseen');
    const status = await service.status('probe_status');
    expect(status).toMatchObject({ state: 'STOPPED', lag: 3, headPosition: await store.headPosition(), deadLetters: 0, rebuildProgress: null });
  });
});
