import { envelope } from '../testing/envelopes';
import { DocSet, foldEvents, keysOf, projectInMemory, rowsOf } from './fold';
import { checkpointAfter, prepareBatch } from './prepare';
import type { AnyEnvelope, DocumentView } from './projection';

const counter: DocumentView<AnyEnvelope> = {
  table: { name: 'counts', columns: [], primaryKey: ['id'] },
  keyOf: (e) => [String(e.data['id'])],
  evolve: (doc, e) => {
    if (e.data['poison'] === true) throw new Error('cannot apply');
    return { id: String(e.data['id']), n: Number(doc?.['n'] ?? 0) + 1, revision: e.revision };
  },
};
const shadow: DocumentView<AnyEnvelope> = { ...counter, table: { ...counter.table, name: 'shadow' }, evolve: (doc, e) => ({ id: String(e.data['id']), seen: true, revision: e.revision }) };
const event = (id: string, revision: number, extra: Record<string, unknown> = {}) => envelope('Counted', { id, ...extra }, { streamId: `count-${id}`, revision });

describe('folding a batch', () => {
  it('applies events in log order, one document per key', () => {
    const docs = projectInMemory([counter], [event('a', 0), event('b', 0), event('a', 1)]);
    expect(rowsOf(docs, 0)).toEqual([
      { id: 'a', n: 2, revision: 1 },
      { id: 'b', n: 1, revision: 0 },
    ]);
  });

  it('never applies an event at or below the revision a document already has', () => {
    const docs = new DocSet(1);
    docs.put(0, ['a'], { id: 'a', n: 5, revision: 3 });
    foldEvents([counter], docs, [event('a', 2), event('a', 3), event('a', 4)], () => 'stop');
    expect(rowsOf(docs, 0)).toEqual([{ id: 'a', n: 6, revision: 4 }]);
  });

  it('applies an event to all of its views or to none, and lets the failure decide: skip carries on', () => {
    const failures: string[] = [];
    const docs = new DocSet(2);
    const outcome = foldEvents([shadow, counter], docs, [event('a', 0), event('b', 0, { poison: true }), event('c', 0)], (e) => {
      failures.push(e.eventId);
      return 'skip';
    });
    expect(outcome.stoppedAt).toBeUndefined();
    expect(failures).toHaveLength(1);
    expect(rowsOf(docs, 0).map((r) => r['id'])).toEqual(['a', 'c']);
    expect(rowsOf(docs, 1).map((r) => r['id'])).toEqual(['a', 'c']);
  });

  it('stops at the failing event with a stop decision, keeping what came before', () => {
    const poison = event('b', 0, { poison: true });
    const docs = new DocSet(1);
    const outcome = foldEvents([counter], docs, [event('a', 0), poison, event('c', 0)], () => 'stop');
    expect(outcome.stoppedAt?.eventId).toBe(poison.eventId);
    expect(rowsOf(docs, 0).map((r) => r['id'])).toEqual(['a']);
  });

  it('lists the keys a batch touches once per view', () => {
    expect(keysOf([counter], [event('a', 0), event('a', 1), event('b', 0)])).toEqual([[['a'], ['b']]]);
  });
});

describe('preparing a batch', () => {
  const ctx = { canHandle: new Set(['Counted']), compare: (a: string, b: string) => Number(a) - Number(b), upcast: (e: AnyEnvelope) => e };

  it('drops events at or below the checkpoint and types the projection does not handle, never upcasting those', () => {
    const [a, b, c] = [event('a', 0), envelope('Other', {}, { streamId: 'other-1', revision: 0 }), event('c', 0)];
    const upcast = jest.fn((e: AnyEnvelope) => e);
    const { items, fresh } = prepareBatch([a, b, c] as AnyEnvelope[], a?.position, { ...ctx, upcast });
    expect(fresh.map((e) => e.eventId)).toEqual([b?.eventId, c?.eventId]);
    expect(items).toEqual([c]);
    expect(upcast).toHaveBeenCalledTimes(1);
  });

  it('marks an event its upcaster refuses as unreadable instead of failing the batch', () => {
    const bad = event('a', 0);
    const { items } = prepareBatch([bad], undefined, { ...ctx, upcast: () => { throw new Error('invalid stored data'); } });
    expect(items).toEqual([{ unreadable: bad, error: new Error('invalid stored data') }]);
  });

  it('checkpoints after the last event, or before the event a stop policy stopped at', () => {
    const events = [event('a', 0), event('b', 0), event('c', 0)];
    expect(checkpointAfter(events, '0', undefined)).toBe(events[2]?.position);
    expect(checkpointAfter(events, '0', events[1])).toBe(events[0]?.position);
    expect(checkpointAfter(events, '7', events[0])).toBe('7');
  });
});
