import { planBatch } from './batch-plan';
import { decision, type Saga } from './saga';
import { logged } from './testing/saga-spec';

interface S {
  readonly n: number;
  readonly tag: string | null;
}

const saga: Saga<S> = {
  name: 'demo',
  canHandle: ['Opened', 'Tagged'],
  correlate: (e) => (e.type === 'Opened' ? { key: String(e.data['key']), starts: e.data['start'] !== false } : { association: `tag:${String(e.data['tag'])}` }),
  initialState: () => ({ n: 0, tag: null }),
  evolve: (s, e) => (e.type === 'Opened' ? { n: s.n + 1, tag: (e.data['tag'] as string | undefined) ?? s.tag } : { ...s, n: s.n + 1 }),
  decide: (s, e) =>
    decision({
      commands: [{ type: 'Say', data: { n: s.n } }],
      timers: e.data['timer'] === true ? [{ id: 'later', dueAt: '2026-06-01T00:00:00Z', command: { type: 'Late', data: {} } }] : [],
      cancelTimers: e.data['cancel'] === true ? ['later'] : [],
    }),
  associations: (s) => (s.tag === null ? [] : [`tag:${s.tag}`]),
  isDone: () => false,
};

describe('planning a batch', () => {
  const events = [logged('Opened', { key: 'a', tag: 'x', timer: true }), logged('Opened', { key: 'a', cancel: true }), logged('Tagged', { tag: 'x' }), logged('Other', {})];

  it('folds each instance in event order and derives the same command ids every time', () => {
    const first = planBatch(saga, events, new Map());
    const again = planBatch(saga, events, new Map());
    const plan = first.get('a');
    expect(plan?.state).toEqual({ n: 3, tag: 'x' });
    expect(plan?.commands.map((c) => c.command.data['n'])).toEqual([1, 2, 3]);
    expect(plan?.commands.map((c) => c.commandId)).toEqual(again.get('a')?.commands.map((c) => c.commandId));
    expect(new Set(plan?.commands.map((c) => c.commandId)).size).toBe(3);
  });

  it('drops a timer scheduled and cancelled within the batch, and remembers the cancellation', () => {
    const plan = planBatch(saga, events, new Map()).get('a');
    expect(plan?.timers.size).toBe(0);
    expect([...(plan?.cancelIds ?? [])]).toEqual(['later']);
  });

  it('keeps a timer with a row id per saga and instance, and its causation', () => {
    const opened = logged('Opened', { key: 'b', timer: true });
    const timer = planBatch(saga, [opened], new Map()).get('b')?.timers.get('later');
    expect(timer).toMatchObject({ id: 'demo:b:later', kind: 'timer', dueAt: '2026-06-01T00:00:00.000Z', meta: { causationId: opened.eventId, tenant: 'tenant-a' } });
  });

  it('ignores an event for an instance it may not start, and reaches loaded instances by association', () => {
    const loaded = new Map([['c', { key: 'c', tenant: 'tenant-a', state: { n: 5, tag: 'y' } }]]);
    const plans = planBatch(saga, [logged('Opened', { key: 'd', start: false }), logged('Tagged', { tag: 'y' })], loaded);
    expect([...plans.keys()]).toEqual(['c']);
    expect(plans.get('c')?.state).toEqual({ n: 6, tag: 'y' });
  });

  it('does not reach instances of another tenant by association', () => {
    const loaded = new Map([['e', { key: 'e', tenant: 'tenant-b', state: { n: 0, tag: 'x' } }]]);
    expect(planBatch(saga, [logged('Tagged', { tag: 'x' })], loaded).size).toBe(0);
  });
});
