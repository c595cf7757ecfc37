import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { event, waitFor } from '../event-store.contract';
import { expect as expectRevision, type StoredEvent } from '../event-store.port';
import { PostgresEventStore } from './postgres-event-store';

/**
 * The failure that loses data in naive PostgreSQL logs: a transaction draws a position, commits late, and a
 * reader that already moved past that position never sees it. Here slow writers hold their transaction open
 * after drawing positions while fast writers (other "processes": other pools) append around them, and a live
 * subscriber must still see every event exactly once, in log order. 20 rounds in a row.
 */
describe('PostgreSQL log order under racing slow and fast writers', () => {
  let db: TestDatabase;
  let reader: PostgresEventStore;
  const writers: PostgresEventStore[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('es_race');
    reader = await PostgresEventStore.create({ connectionString: db.url });
    for (let i = 0; i < 3; i++) writers.push(await PostgresEventStore.create({ connectionString: db.url, poolSize: 4 }));
  });
  afterAll(async () => {
    await Promise.all([reader, ...writers].map((s) => s.close()));
    await db.drop();
  });

  async function slowWriter(rounds: number): Promise<number> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    let written = 0;
    try {
      for (let i = 0; i < rounds; i++) {
        const events = [event('Slow'), event('Slow')];
        const payload = [{ streamId: `race-${randomUUID()}`, expected: expectRevision.noStream, key: null, events }];
        await client.query('BEGIN');
        await client.query('SELECT es_append($1::jsonb)', [JSON.stringify(payload)]);
        await client.query('SELECT pg_sleep($1)', [0.002 + Math.random() * 0.02]);
        await client.query('COMMIT');
        written += events.length;
      }
    } finally {
      await client.end();
    }
    return written;
  }

  async function fastWriter(store: PostgresEventStore, appends: number): Promise<number> {
    const stream = `race-${randomUUID()}`;
    await Promise.all(
      Array.from({ length: appends }, async () => {
        await store.append(`race-${randomUUID()}`, [event('Fast')], expectRevision.noStream);
      }),
    );
    for (let i = 0; i < 5; i++) await store.append(stream, [event('Fast')], expectRevision.any);
    return appends + 5;
  }

  it('delivers every event exactly once, in log order, 20 rounds in a row', async () => {
    for (let round = 0; round < 20; round++) {
      const start = await reader.headPosition();
      const seen: StoredEvent[] = [];
      const sub = reader.subscribe({ after: start, batchSize: 7, onEvents: async (es) => void seen.push(...es) });
      try {
        const counts = await Promise.all([
          slowWriter(8),
          slowWriter(8),
          ...writers.map((w) => fastWriter(w, 40)),
          ...writers.map((w) => fastWriter(w, 25)),
        ]);
        const total = counts.reduce((a, b) => a + b, 0);
        await waitFor(() => seen.length >= total);
        const logged = await readAllAfter(reader, start);
        expect(seen.length).toBe(total);
        expect(logged.length).toBe(total);
        expect(new Set(seen.map((e) => e.eventId)).size).toBe(total);
        expect(seen.map((e) => e.position)).toEqual(logged.map((e) => e.position));
        for (let i = 1; i < seen.length; i++) {
          expect(BigInt(seen[i]?.position ?? 0) > BigInt(seen[i - 1]?.position ?? 0)).toBe(true);
        }
      } finally {
        await sub.close();
      }
    }
  });
});

async function readAllAfter(store: PostgresEventStore, after: string | undefined): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (let batch = await store.readAll({ after, maxCount: 1000 }); batch.length > 0; ) {
    out.push(...batch);
    batch = await store.readAll({ after: batch[batch.length - 1]?.position, maxCount: 1000 });
  }
  return out;
}
