import type { Pool } from 'pg';
import { schemaRegistry } from '../../shared/schemas/schema-registry';
import { PostgresEventStore } from '../../write-model/event-store/postgres/postgres-event-store';
import { ValidatingEventStore } from '../../write-model/event-store/validating-event-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { pgProjections } from '../all-projections';
import { startProjector, type Projector } from '../projector';
import { Workload } from '../testing/workload';
import { allCaughtUp, readWholeLog, silentLogger, viewRows, waitFor, testPool } from '../testing/support';
import { projectInMemory, rowsOf } from './fold';
import { keyString, type Row } from './projection';

const projections = pgProjections();
const names = projections.map((p) => p.name);
const byKey = (pk: readonly string[]) => (rows: Row[]) => [...rows].sort((a, b) => (keyString(pk.map((c) => a[c] ?? null)) < keyString(pk.map((c) => b[c] ?? null)) ? -1 : 1));

describe('projector over PostgreSQL read models', () => {
  let db: TestDatabase;
  let raw: PostgresEventStore;
  let store: ValidatingEventStore;
  let pool: Pool;
  let projector: Projector | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('proj');
    raw = await PostgresEventStore.create({ connectionString: db.url, poolSize: 4 });
    store = new ValidatingEventStore(raw, schemaRegistry());
    pool = testPool(db.url, 2);
  });
  afterAll(async () => {
    await projector?.stop();
    await pool.end();
    await raw.close();
    await db.drop();
  });

  it('builds every read model from the log and keeps it up to date with live appends, equal to an in-memory fold', async () => {
    const workload = new Workload(7);
    await workload.appendAtLeast(store, 2000);
    projector = await startProjector({ databaseUrl: db.url, logger: silentLogger(), runtime: { tickMs: 100 } });
    await waitFor('initial build', () => allCaughtUp(pool, raw, names));
    await workload.appendAtLeast(store, 500, 2);
    await waitFor('live catch-up', () => allCaughtUp(pool, raw, names));

    const events = (await readWholeLog(raw)).map((e) => (projections.some((p) => p.canHandle.includes(e.type)) ? schemaRegistry().upcast(e) : e));
    for (const projection of projections) {
      const handled = events.filter((e) => projection.canHandle.includes(e.type));
      const expected = projectInMemory(projection.views, handled);
      for (const [v, view] of projection.views.entries()) {
        const sort = byKey(view.table.primaryKey);
        expect(sort(await viewRows(pool, view.table))).toEqual(sort(rowsOf(expected, v)));
      }
    }
    const states = await pool.query<{ name: string; state: string }>('SELECT name, state FROM proj_projections ORDER BY name');
    expect(states.rows.map((r) => r.state)).toEqual(states.rows.map(() => 'RUNNING'));
  });
});
