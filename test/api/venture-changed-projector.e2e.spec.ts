import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApi, type TestApi } from '../../src/app/testing/api-harness';
import { startProjector, type Projector } from '../../src/projections/projector';
import { silentLogger } from '../../src/projections/testing/support';
import { ventureChangeHook } from '../../src/projections/ventures/changed-ventures';
import { routeVentureChanges, type VentureChangeRouting } from '../../src/read-api/subscriptions/venture-change-routing';
import { RedisVentureChanges, type VentureChangeNotifier } from '../../src/read-api/subscriptions/venture-changes';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { subscribeOverWs, type WsMessage, type WsSubscription } from '../support/graphql-ws';

jest.setTimeout(180_000);

/**
 * `ventureChanged` end to end: a mutation through GraphQL, the real projector applying it to the ventures read
 * model and notifying, the API fanning it out to WebSocket subscribers. Once in one process (the projector and
 * the API share an in-process feed), once as two processes would run it (the projector PUBLISHes on its own
 * Redis connection, the API SUBSCRIBEs on its own).
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CREATE = 'mutation($i: CreateVentureInput!) { createVenture(input: $i) { aggregateId position } }';
const UPDATE = 'mutation($i: UpdateVentureProfileInput!) { updateVentureProfile(input: $i) { aggregateId position } }';
const SUBSCRIPTION = 'subscription { ventureChanged { id name version } }';
/** No delivery of another tenant's change within this long after the own tenant's arrived. */
const QUIET_MS = 1000;

interface Harness {
  readonly api: TestApi;
  readonly url: string;
  /** The projector's notifier: warms subscriptions up (they register asynchronously after `subscribe`). */
  readonly notifier: VentureChangeNotifier;
  close(): Promise<void>;
}

async function start(db: TestDatabase, overRedis: boolean): Promise<Harness> {
  const logger = silentLogger();
  const routing: VentureChangeRouting = routeVentureChanges({ projector: true, api: !overRedis, logger, ...(overRedis && { redisUrl: REDIS_URL }) });
  const notifier = routing.projector;
  if (notifier === undefined) throw new Error('a projector with a listener has a notifier');
  const api = await startTestApi({ databaseUrl: db.url, read: overRedis ? { redisUrl: REDIS_URL } : { ...(routing.api && { changes: routing.api }) } });
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  if (overRedis) await (api.readApi.changes as RedisVentureChanges).ready();
  const projector: Projector = await startProjector({
    databaseUrl: db.url,
    logger,
    only: ['ventures'],
    runtime: { tickMs: 50 },
    onCommitted: ventureChangeHook(notifier),
  });
  return {
    api,
    notifier,
    url: `ws://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}/graphql`,
    async close() {
      await projector.stop();
      await routing.close();
      await api.close();
    },
  };
}

async function within<T>(what: string, promise: Promise<T>, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const ventureOf = (message: WsMessage): { id?: string; name?: string; version?: number } | undefined =>
  message.payload?.data?.['ventureChanged'] as { id?: string; name?: string; version?: number } | undefined;

/** Notifies until the subscriber hears something: then its subscription is registered. */
async function warmUp(subscription: WsSubscription, notify: () => void): Promise<void> {
  const received = subscription.next();
  let delivered = false;
  void received.then(() => (delivered = true));
  for (let i = 0; i < 400 && !delivered; i++) {
    notify();
    await sleep(25);
  }
  await within('a warm-up delivery', received);
}

/** The next delivery about `ventureId` (warm-up deliveries about other ventures may still trickle in). */
async function nextAbout(subscription: WsSubscription, ventureId: string): Promise<WsMessage> {
  for (;;) {
    const message = await within(`a delivery about ${ventureId}`, subscription.next());
    if (ventureOf(message)?.id === ventureId || message.type !== 'next') return message;
  }
}

async function deliversTheProjectedChange(harness: Harness): Promise<void> {
  const { api, url, notifier } = harness;
  const suffix = randomUUID().slice(0, 8); // tenants of their own: other suites share the Redis channel
  const [acme, globex] = [`acme-${suffix}`, `globex-${suffix}`];
  const bearer = async (tenant: string) => ({ authorization: `Bearer ${await api.token({ sub: 'ann', tenant, roles: ['admin'] })}` });
  const [ann, bob] = [await bearer(acme), await bearer(globex)];
  let last = '';
  const mutate = async (query: string, input: Record<string, unknown>, headers: Record<string, string>): Promise<string> => {
    const { data, errors, raw } = await api.graphql(query, { i: input }, headers);
    if (errors.length > 0 || data === null) throw new Error(`expected success, got ${raw}`);
    const result = Object.values(data)[0] as { aggregateId: string; position: string };
    last = result.position;
    return result.aggregateId;
  };
  const create = (headers: Record<string, string>, name: string) => mutate(CREATE, { name, sector: 'energy', country: 'KE', stage: 'SEED' }, headers);

  const solar = await create(ann, 'Solar Kiosks');
  const warm = await create(ann, 'Warm-up Venture');
  const theirs = await create(bob, 'Globex Venture');
  const visible = await api.graphql(`{ venture(id: "${theirs}") { id } }`, {}, { ...bob, 'x-read-after': last });
  expect(visible.errors).toEqual([]);

  const mine = await subscribeOverWs(url, ann.authorization, SUBSCRIPTION);
  const other = await subscribeOverWs(url, bob.authorization, SUBSCRIPTION);
  try {
    await warmUp(mine, () => notifier.notify(acme, warm));
    await warmUp(other, () => notifier.notify(globex, theirs));

    await mutate(UPDATE, { ventureId: solar, name: 'Solar Kiosks Renamed' }, ann);
    const delivered = await nextAbout(mine, solar);
    expect(delivered).toEqual({ id: '1', type: 'next', payload: { data: { ventureChanged: { id: solar, name: 'Solar Kiosks Renamed', version: 1 } } } });

    await sleep(QUIET_MS);
    expect(other.drain().filter((m) => ventureOf(m)?.id !== theirs)).toEqual([]);
  } finally {
    mine.close();
    other.close();
  }
}

describe('ventureChanged driven by the projector', () => {
  let db: TestDatabase;
  let harness: Harness | undefined;

  beforeEach(async () => {
    db = await createTestDatabase('e2e_venture_changed');
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    await db.drop();
  });

  it('delivers the venture an update changed, re-read after the projector committed it, in one process', async () => {
    harness = await start(db, false);
    await deliversTheProjectedChange(harness);
  });

  it('delivers it from a projector that publishes on its own Redis connection to an API that subscribes on another', async () => {
    harness = await start(db, true);
    await deliversTheProjectedChange(harness);
  });
});
