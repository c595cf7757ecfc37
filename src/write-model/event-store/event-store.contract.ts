import { randomUUID } from 'node:crypto';
import {
  EventStoreArgumentError,
  expect as expectRevision,
  WrongExpectedRevisionError,
  type EventStore,
  type NewEvent,
  type StoredEvent,
} from './event-store.port';

/**
 * The behaviour every event store adapter promises, run against each of them (PostgreSQL always, EventStoreDB
 * when EVENTSTORE_CONNECTION_STRING is set). Streams are named uniquely per test, so the suite also runs
 * against a store that already holds other data.
 */
export function describeEventStoreContract(name: string, open: () => Promise<{ store: EventStore; dispose(): Promise<void> }>): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;
    const stream = (category = 'contract'): string => `${category}-${randomUUID()}`;

    beforeAll(async () => {
      ({ store, dispose } = await open());
    });
    afterAll(async () => {
      await dispose();
    });

    it('appends to a new stream from revision 0 with increasing positions', async () => {
      const s = stream();
      const result = await store.append(s, [event('A'), event('B'), event('C')], expectRevision.noStream);
      expect(result.nextRevision).toBe(2);
      expect(result.eventTypes).toEqual(['A', 'B', 'C']);
      const read = await store.readStream(s);
      expect(read.map((e) => [e.type, e.revision])).toEqual([['A', 0], ['B', 1], ['C', 2]]);
      expect(read[2]?.position).toBe(result.position);
      expectIncreasing(store, read);
    });

    it('keeps data, metadata, ids and schema version as written', async () => {
      const s = stream();
      const e = event('Typed', { amount: '12.50', nested: { list: [1, 2] } });
      await store.append(s, [e], expectRevision.any);
      const [read] = await store.readStream(s);
      expect(read).toMatchObject({ eventId: e.eventId, type: 'Typed', schemaVersion: 2, streamId: s, revision: 0 });
      expect(read?.data).toEqual(e.data);
      expect(read?.metadata).toEqual(e.metadata);
      expect(Number.isNaN(Date.parse(read?.occurredAt ?? ''))).toBe(false);
    });

    it('enforces no_stream, exists and exact expected revisions and reports the actual revision', async () => {
      const s = stream();
      await expect(store.append(s, [event('X')], expectRevision.exists)).rejects.toMatchObject({ actual: -1 });
      await expect(store.append(s, [event('X')], expectRevision.exact(0))).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await store.append(s, [event('A')], expectRevision.noStream);
      await expect(store.append(s, [event('X')], expectRevision.noStream)).rejects.toMatchObject({ actual: 0 });
      await expect(store.append(s, [event('X')], expectRevision.exact(5))).rejects.toMatchObject({ actual: 0 });
      await store.append(s, [event('B')], expectRevision.exact(0));
      await store.append(s, [event('C')], expectRevision.exists);
      await store.append(s, [event('D')], expectRevision.any);
      expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
      expect(await store.streamRevision(s)).toBe(3);
    });

    it('appends all events of a call or none', async () => {
      const s = stream();
      await store.append(s, [event('A')], expectRevision.noStream);
      await expect(store.append(s, [event('X'), event('Y'), event('Z')], expectRevision.exact(7))).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A']);
    });

    it('lets exactly one of two racing writers with the same expected revision win', async () => {
      const s = stream();
      await store.append(s, [event('A')], expectRevision.noStream);
      const results = await Promise.allSettled([0, 1, 2, 3].map(() => store.append(s, [event('B')], expectRevision.exact(0))));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(await store.streamRevision(s)).toBe(1);
    });

    it('appends nothing for a repeated idempotency key and returns the first result', async () => {
      const s = stream();
      const key = `tenant:${randomUUID()}`;
      const first = await store.append(s, [event('A'), event('B')], expectRevision.noStream, { idempotencyKey: key });
      await store.append(s, [event('C')], expectRevision.any);
      const again = await store.append(s, [event('A'), event('B')], expectRevision.noStream, { idempotencyKey: key });
      expect(again).toMatchObject({ streamId: s, nextRevision: first.nextRevision, position: first.position, duplicate: true });
      expect(first.duplicate).toBe(false);
      expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      expect(await store.findAppend(key)).toMatchObject({ streamId: s, position: first.position, eventTypes: ['A', 'B'] });
      expect(await store.findAppend(`tenant:${randomUUID()}`)).toBeUndefined();
    });

    it('reads a stream backwards, between revisions and up to a count', async () => {
      const s = stream();
      await store.append(s, ['E0', 'E1', 'E2', 'E3', 'E4'].map((t) => event(t)), expectRevision.noStream);
      const types = (es: StoredEvent[]): string[] => es.map((e) => e.type);
      expect(types(await store.readStream(s, { direction: 'backwards' }))).toEqual(['E4', 'E3', 'E2', 'E1', 'E0']);
      expect(types(await store.readStream(s, { fromRevision: 1, toRevision: 3 }))).toEqual(['E1', 'E2', 'E3']);
      expect(types(await store.readStream(s, { direction: 'backwards', fromRevision: 3, maxCount: 2 }))).toEqual(['E3', 'E2']);
      expect(types(await store.readStream(s, { fromRevision: 2, maxCount: 2 }))).toEqual(['E2', 'E3']);
      expect(await store.readStream(stream())).toEqual([]);
      expect(await store.streamRevision(stream())).toBe(-1);
    });

    it('reads a stream as it stood at an instant', async () => {
      const s = stream();
      await store.append(s, [event('Early')], expectRevision.noStream);
      const [early] = await store.readStream(s);
      await sleep(20);
      const cut = new Date();
      await sleep(20);
      await store.append(s, [event('Late')], expectRevision.exact(0));
      expect((await store.readStream(s, { asOf: cut })).map((e) => e.type)).toEqual(['Early']);
      expect((await store.readStream(s, { asOf: new Date(Date.parse(early?.occurredAt ?? '') - 1000) }))).toEqual([]);
    });

    it('reads the whole log after a position in batches, in order, and knows its head', async () => {
      const before = await store.headPosition();
      const s1 = stream();
      const s2 = stream();
      await store.append(s1, [event('A1')], expectRevision.noStream);
      await store.append(s2, [event('B1'), event('B2')], expectRevision.noStream);
      await store.append(s1, [event('A2')], expectRevision.exact(0));
      const mine: StoredEvent[] = [];
      let after = before;
      for (;;) {
        const batch = await store.readAll({ after, maxCount: 2 });
        if (batch.length === 0) break;
        expect(batch.length).toBeLessThanOrEqual(2);
        mine.push(...batch.filter((e) => e.streamId === s1 || e.streamId === s2));
        after = batch[batch.length - 1]?.position;
      }
      expect(mine.map((e) => e.type)).toEqual(['A1', 'B1', 'B2', 'A2']);
      expectIncreasing(store, mine);
      expect(await store.headPosition()).toBe(mine[3]?.position);
    });

    it('delivers past events, then live ones, to a subscriber in log order', async () => {
      const s = stream();
      const start = await store.headPosition();
      await store.append(s, [event('Past1'), event('Past2')], expectRevision.noStream);
      const seen: StoredEvent[] = [];
      const sub = store.subscribe({
        after: start,
        onEvents: async (events) => {
          seen.push(...events.filter((e) => e.streamId === s));
        },
      });
      try {
        await waitFor(() => seen.length === 2);
        await store.append(s, [event('Live1')], expectRevision.exact(1));
        await store.append(s, [event('Live2')], expectRevision.exact(2));
        await waitFor(() => seen.length === 4);
        expect(seen.map((e) => e.type)).toEqual(['Past1', 'Past2', 'Live1', 'Live2']);
        expect(sub.position).toBeDefined();
      } finally {
        await sub.close();
      }
    });

    it('refuses bad arguments before writing anything', async () => {
      const head = await store.headPosition();
      await expect(store.append('no category', [event('A')], expectRevision.any)).rejects.toBeInstanceOf(EventStoreArgumentError);
      await expect(store.append("venture-x'; drop table", [event('A')], expectRevision.any)).rejects.toBeInstanceOf(
        EventStoreArgumentError,
      );
      await expect(store.append(stream(), [], expectRevision.any)).rejects.toBeInstanceOf(EventStoreArgumentError);
      await expect(store.append(stream(), [{ ...event('A'), eventId: 'nope' }], expectRevision.any)).rejects.toBeInstanceOf(
        EventStoreArgumentError,
      );
      expect(await store.headPosition()).toBe(head);
    });
  });
}

export function event(type: string, data: Record<string, unknown> = { n: 1 }): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: type === 'Typed' ? 2 : 1,
    data,
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'contract-test', tenant: 'test' },
  };
}

function expectIncreasing(store: EventStore, events: readonly StoredEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    expect(store.comparePositions(events[i - 1]?.position ?? '', events[i]?.position ?? '')).toBeLessThan(0);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}
