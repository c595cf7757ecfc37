import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import type { ProjectionStatus } from '../../projections/projections.service';
import type { DeadLetter } from '../../projections/runtime/dead-letters';
import { migrateProjections } from '../../projections/runtime/migrations';
import { newEvent } from '../../projections/testing/fixtures';
import { testPool } from '../../projections/testing/support';
import { Workload } from '../../projections/testing/workload';
import { schemaRegistry } from '../../shared/schemas/schema-registry';
import { expect as expectRevision } from '../../write-model/event-store/event-store.port';
import { PostgresEventStore } from '../../write-model/event-store/postgres/postgres-event-store';
import { ValidatingEventStore } from '../../write-model/event-store/validating-event-store';
import { runCli } from '../main';

describe('npm run cli -- projections', () => {
  let db: TestDatabase;
  let raw: PostgresEventStore;
  let pool: Pool;
  const broken = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase('cli');
    raw = await PostgresEventStore.create({ connectionString: db.url, poolSize: 2 });
    await new Workload(3).appendAtLeast(new ValidatingEventStore(raw, schemaRegistry()), 1500, 4);
    // A stored event its schema refuses (no stage): a dead letter of the ventures projection.
    await raw.append(`venture-${broken}`, [newEvent('VentureCreated', { ventureId: broken, name: 'Broken', sector: 'x', country: 'KE', description: null })], expectRevision.noStream);
    await migrateProjections(db.url);
    pool = testPool(db.url, 2);
  });
  afterAll(async () => {
    await pool.end();
    await raw.close();
    await db.drop();
  });

  async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { DATABASE_URL: db.url });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('lists every projection as STOPPED with its lag before any projector ran (--json for scripts)', async () => {
    const { code, out } = await cli('projections', 'list', '--json');
    expect(code).toBe(0);
    const list = JSON.parse(out) as ProjectionStatus[];
    expect(list.map((s) => [s.name, s.state])).toEqual([
      ['audit', 'STOPPED'],
      ['capital', 'STOPPED'],
      ['gedsi', 'STOPPED'],
      ['ventures', 'STOPPED'],
    ]);
    expect(list.every((s) => s.lag === Number(s.headPosition))).toBe(true);
  });

  it('rebuilds a projection here when no projector runs, and reports it caught up', async () => {
    const { code, out } = await cli('projections', 'rebuild', 'ventures', '--json');
    expect(code).toBe(0);
    const status = JSON.parse(out) as ProjectionStatus;
    expect(status).toMatchObject({ name: 'ventures', lag: 0, rebuild: null, deadLetters: 1 });
    const again = await cli('projections', 'rebuild', 'ventures');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/ventures: .*\n {2}live generation {2}2 at position/);
  });

  it('lists dead letters with their error, and skips one by id', async () => {
    const listed = await cli('projections', 'dead-letters', 'ventures', '--json');
    const [letter] = JSON.parse(listed.out) as DeadLetter[];
    expect(letter).toMatchObject({ streamId: `venture-${broken}`, status: 'pending', error: expect.stringMatching(/stage/) });
    const retried = await cli('projections', 'dead-letters', 'ventures', 'retry', letter?.id ?? '');
    expect(retried.code).toBe(1);
    expect(retried.err).toMatch(/still fails/);
    const skipped = await cli('projections', 'dead-letters', 'ventures', 'skip', letter?.id ?? '');
    expect(skipped).toMatchObject({ code: 0, out: expect.stringMatching(/skipped/) });
    expect((await cli('projections', 'dead-letters', 'ventures')).out).toBe('ventures: no dead letters');
  });

  it('records pause and resume for the next projector when none runs', async () => {
    const paused = await cli('projections', 'pause', 'gedsi');
    expect(paused.code).toBe(0);
    expect(paused.err).toMatch(/no projector runs it/);
    expect((await pool.query<{ paused: boolean }>(`SELECT paused FROM proj_projections WHERE name = 'gedsi'`)).rows[0]?.paused).toBe(true);
    await cli('projections', 'resume', 'gedsi');
    expect((await pool.query<{ paused: boolean }>(`SELECT paused FROM proj_projections WHERE name = 'gedsi'`)).rows[0]?.paused).toBe(false);
  });

  it('exits 2 for an unknown projection or dead letter, naming what exists', async () => {
    expect(await cli('projections', 'status', 'nope')).toMatchObject({ code: 2, err: expect.stringMatching(/expected one of audit, capital, gedsi, ventures/) });
    expect(await cli('projections', 'dead-letters', 'ventures', 'skip', '999999')).toMatchObject({ code: 2, err: expect.stringMatching(/no dead letter "999999"/) });
    expect((await cli('projections', 'rebuild')).code).toBe(2);
  });
});
