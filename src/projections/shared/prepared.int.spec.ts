import type { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { testPool } from '../testing/support';
import { preparedQuery } from './prepared';

describe('reads as prepared statements over a read model view', () => {
  let db: TestDatabase;
  let pool: Pool;
  const read = () => preparedQuery<{ id: string; n: string }>(pool, 'SELECT v.id, v.n::text AS n, v.k FROM rm_things v WHERE v.id = $1', ['a']);

  beforeAll(async () => {
    db = await createTestDatabase('prepared');
    pool = testPool(db.url, 1);
    await pool.query(`CREATE TABLE rm_things_g1 AS SELECT 'a'::text AS id, 1::int AS n, 1::int AS k`);
    await pool.query(`CREATE TABLE rm_things_g2 AS SELECT 'a'::text AS id, 2::int AS n, 2::int AS k`);
    await pool.query(`CREATE TABLE rm_things_g3 AS SELECT 'a'::text AS id, 3::int AS n, 3::bigint AS k`);
    await pool.query('CREATE VIEW rm_things AS SELECT * FROM rm_things_g1');
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('follows the view to the generation a rebuild swapped in', async () => {
    expect((await read()).rows).toEqual([{ id: 'a', n: '1', k: 1 }]);
    await pool.query('BEGIN; DROP VIEW rm_things; CREATE VIEW rm_things AS SELECT * FROM rm_things_g2; COMMIT');
    expect((await read()).rows).toEqual([{ id: 'a', n: '2', k: 2 }]);
  });

  it('prepares the read afresh when the new generation changed a column type', async () => {
    await pool.query('BEGIN; DROP VIEW rm_things; CREATE VIEW rm_things AS SELECT * FROM rm_things_g3; COMMIT');
    expect((await read()).rows).toEqual([{ id: 'a', n: '3', k: '3' }]);
    expect((await read()).rows).toEqual([{ id: 'a', n: '3', k: '3' }]);
  });
});
