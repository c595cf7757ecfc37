import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { RetryLater, type DispatchContext, type SagaDispatcher } from '../../src/sagas/runtime/dispatch';
import { migrateSagas } from '../../src/sagas/runtime/migrations';
import { decision, type Saga, type SagaCommand } from '../../src/sagas/runtime/saga';
import { SagaProcessor } from '../../src/sagas/runtime/saga-processor';
import { sagaStatus } from '../../src/sagas/runtime/status';
import { expect as expectRevision, type EventStore } from '../../src/write-model/event-store/event-store.port';
import { PostgresEventStore } from '../../src/write-model/event-store/postgres/postgres-event-store';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(120_000);

interface ToyState {
  readonly pings: number;
  readonly tag: string | null;
  readonly tagged: number;
}

/** A toy saga: every Ping echoes its count; a Ping may schedule or cancel an alarm; a Tag reaches instances by association. */
const toyNamed = (name: string): Saga<ToyState> => ({
  name,
  canHandle: ['Pinged', 'Tagged'],
  correlate: (event) => {
    if (event.data['run'] !== name) return undefined;
    return event.type === 'Pinged' ? { key: String(event.data['key']), starts: true } : { association: `tag:${String(event.data['tag'])}` };
  },
  initialState: () => ({ pings: 0, tag: null, tagged: 0 }),
  evolve: (state, event) =>
    event.type === 'Pinged' ? { ...state, pings: state.pings + 1, tag: (event.data['tag'] as string | undefined) ?? state.tag } : { ...state, tagged: state.tagged + 1 },
  decide: (state, event) => {
    const key = typeof event.data['key'] === 'string' ? event.data['key'] : '';
    if (event.type === 'Tagged') return decision({ commands: [{ type: 'TagSeen', data: { tag: event.data['tag'], tagged: state.tagged } }] });
    const alarm = event.data['alarmAt'] as string | undefined;
    return decision({
      commands: [{ type: 'Echo', data: { key, pings: state.pings } }],
      timers: alarm === undefined ? [] : [{ id: `alarm@${alarm}`, dueAt: alarm, command: { type: 'Alarm', data: { key } } }],
      cancelTimers: event.data['cancel'] === true ? 'all' : [],
    });
  },
  associations: (state) => (state.tag === null ? [] : [`tag:${state.tag}`]),
  isDone: () => false,
});
/** Each test runs its own saga (own checkpoint, lease and timers) over one shared log. */
let toy: Saga<ToyState>;
let sagas = 0;

/** Records what it carried out, by command id (a real dispatcher is idempotent by it). */
class RecordingDispatcher implements SagaDispatcher {
  readonly seen: { command: SagaCommand; context: DispatchContext }[] = [];
  failAfterNext = 0;
  retryLaterTimes = new Map<string, number>();

  dispatch(command: SagaCommand, context: DispatchContext): Promise<void> {
    const retries = this.retryLaterTimes.get(command.type) ?? 0;
    if (retries > 0) {
      this.retryLaterTimes.set(command.type, retries - 1);
      return Promise.reject(new RetryLater('provider timed out'));
    }
    this.seen.push({ command, context });
    if (this.failAfterNext > 0 && --this.failAfterNext === 0) return Promise.reject(new Error('connection reset after the effect'));
    return Promise.resolve();
  }

  effects(type: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { command, context } of this.seen) if (command.type === type) counts.set(context.commandId, (counts.get(context.commandId) ?? 0) + 1);
    return counts;
  }
}

let db: TestDatabase;
let store: EventStore;
let pool: Pool;
const processors: SagaProcessor<ToyState>[] = [];
let now = Date.now();
const clock = { now: () => new Date(now) };

function processor(dispatcher: SagaDispatcher): SagaProcessor<ToyState> {
  const p = new SagaProcessor({ saga: toy, store, connectionString: db.url, dispatcher, logger: pino({ level: 'silent' }), clock, timerPollMs: 30, leaseRetryMs: 100, restartDelayMs: 100 });
  processors.push(p);
  p.start();
  return p;
}

const ping = (key: string, data: Record<string, unknown> = {}) =>
  store.append(`ping-${key}-${randomUUID()}`, [{ eventId: randomUUID(), type: 'Pinged', schemaVersion: 1, data: { key, run: toy.name, ...data }, metadata: { correlationId: 'c', causationId: 'c', actor: 't', tenant: 'acme' } }], expectRevision.noStream);
const tag = (name: string) =>
  store.append(`tag-${randomUUID()}`, [{ eventId: randomUUID(), type: 'Tagged', schemaVersion: 1, data: { tag: name, run: toy.name }, metadata: { correlationId: 'c', causationId: 'c', actor: 't', tenant: 'acme' } }], expectRevision.noStream);

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function state(key: string): Promise<ToyState | undefined> {
  const res = await pool.query<{ state: ToyState }>('SELECT state FROM saga_instances WHERE saga = $1 AND key = $2', [toy.name, key]);
  return res.rows[0]?.state;
}

beforeAll(async () => {
  db = await createTestDatabase('saga_runtime');
  await migrateSagas(db.url);
  store = await PostgresEventStore.create({ connectionString: db.url });
  pool = new Pool({ connectionString: db.url, max: 2 });
  pool.on('error', () => undefined);
});

beforeEach(() => {
  toy = toyNamed(`toy-${++sagas}`);
});

afterEach(async () => {
  await Promise.all(processors.splice(0).map((p) => p.stop()));
});

afterAll(async () => {
  await store?.close();
  await pool?.end();
  await db?.drop();
});

describe('the saga runtime', () => {
  it('redelivers a batch whose checkpoint was not written: the same command ids, the state counted once', async () => {
    const dispatcher = new RecordingDispatcher();
    dispatcher.failAfterNext = 2;
    processor(dispatcher);
    for (let i = 0; i < 3; i++) await ping('a');
    await until('three echoes', async () => (await state('a'))?.pings === 3 && dispatcher.effects('Echo').size === 3);
    const echoes = dispatcher.effects('Echo');
    expect([...echoes.values()].some((count) => count > 1)).toBe(true);
    expect((await state('a'))?.pings).toBe(3);
    const pings = dispatcher.seen.filter((s) => s.command.type === 'Echo').map((s) => s.command.data['pings']);
    expect(new Set(pings)).toEqual(new Set([1, 2, 3]));
  });

  it('runs one worker per saga: a second one waits for the lease and takes over when the first stops', async () => {
    const first = new RecordingDispatcher();
    const second = new RecordingDispatcher();
    const a = processor(first);
    await until('first worker active', () => a.active);
    const b = processor(second);
    await ping('b');
    await until('first worker handled it', () => first.seen.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(b.active).toBe(false);
    expect(second.seen).toHaveLength(0);
    await a.stop();
    await until('second worker active', () => b.active);
    await ping('b');
    await until('second worker handled the next event', () => second.seen.length === 1);
    expect(first.seen).toHaveLength(1);
    await until('the state written after the dispatch', async () => (await state('b'))?.pings === 2);
    const [status] = await sagaStatus(pool, store, [toy.name]);
    expect(status).toMatchObject({ name: toy.name, leaseHeld: true, lag: 0, activeInstances: 1 });
  });

  it('fires a timer once when due, not before, and not after it was cancelled', async () => {
    const dispatcher = new RecordingDispatcher();
    const p = processor(dispatcher);
    const at = new Date(now + 60_000).toISOString();
    await ping('c', { alarmAt: at });
    await ping('d', { alarmAt: at });
    await ping('d', { cancel: true });
    await until('pings handled', async () => (await state('d'))?.pings === 2);
    await p.fireDueTimers();
    expect(dispatcher.effects('Alarm').size).toBe(0);
    const [status] = await sagaStatus(pool, store, [toy.name], clock.now());
    expect(status).toMatchObject({ scheduledTimers: 1, dueTimers: 0, nextTimerDueAt: at });
    now += 61_000;
    await until('the alarm', () => dispatcher.effects('Alarm').size === 1);
    await p.fireDueTimers();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([...dispatcher.effects('Alarm').values()]).toEqual([1]);
    expect(dispatcher.seen.find((s) => s.command.type === 'Alarm')?.command.data).toEqual({ key: 'c' });
  });

  it('keeps timers across restarts and retries a command that must be retried with the same command id', async () => {
    const at = new Date(now + 60_000).toISOString();
    const before = new RecordingDispatcher();
    const p = processor(before);
    await ping('e', { alarmAt: at });
    await until('scheduled', async () => (await pool.query('SELECT 1 FROM saga_timers WHERE saga = $1', [toy.name])).rowCount === 1);
    await p.stop();
    const after = new RecordingDispatcher();
    after.retryLaterTimes.set('Alarm', 2);
    processor(after);
    now += 120_000;
    await until('the first retry', async () => (await pool.query("SELECT 1 FROM saga_timers WHERE saga = $1 AND kind = 'retry'", [toy.name])).rowCount === 1);
    await until('the alarm after two retries', () => {
      now += 5_000;
      return after.effects('Alarm').size === 1;
    });
    expect((await pool.query("SELECT attempt FROM saga_timers WHERE saga = $1 AND kind = 'retry' ORDER BY attempt", [toy.name])).rows).toEqual([{ attempt: 1 }, { attempt: 2 }]);
    const ids = await pool.query<{ command_id: string }>('SELECT DISTINCT command_id FROM saga_timers WHERE saga = $1', [toy.name]);
    expect(ids.rows).toHaveLength(1);
    expect([...after.effects('Alarm').keys()]).toEqual([ids.rows[0]?.command_id]);
    expect(before.effects('Alarm').size).toBe(0);
  });

  it('routes an event to the live instances holding an association, including one started in the same batch', async () => {
    const dispatcher = new RecordingDispatcher();
    await ping('f', { tag: 'green' });
    await ping('g', { tag: 'green' });
    await ping('h', { tag: 'blue' });
    await tag('green');
    processor(dispatcher);
    await until('tag seen twice', () => dispatcher.effects('TagSeen').size === 2);
    await until('the states written', async () => (await state('f'))?.tagged === 1);
    expect((await state('h'))?.tagged).toBe(0);
    const ids = [...dispatcher.effects('TagSeen').keys()];
    expect(new Set(ids).size).toBe(2);
  });

  it('dead-letters an event it cannot read and goes on', async () => {
    const dispatcher = new RecordingDispatcher();
    const p = new SagaProcessor({
      saga: toy,
      store,
      decode: (event) => {
        if (event.data['key'] === 'poison') throw new Error('unknown schema version');
        return event;
      },
      connectionString: db.url,
      dispatcher,
      logger: pino({ level: 'silent' }),
      timerPollMs: 30,
    });
    processors.push(p);
    p.start();
    await ping('poison');
    await ping('i');
    await until('the next event', () => dispatcher.effects('Echo').size === 1);
    const deadLetters = () => pool.query<{ error: string }>('SELECT error FROM saga_dead_letters WHERE saga = $1', [toy.name]);
    await until('the dead letter', async () => (await deadLetters()).rowCount === 1);
    expect((await deadLetters()).rows.map((r) => r.error)).toEqual(['unreadable event: unknown schema version']);
  });
});
