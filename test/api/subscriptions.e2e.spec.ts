import type { AddressInfo } from 'node:net';
import { startTestApi, type TestApi } from '../../src/app/testing/api-harness';
import { projectionReadModels } from '../../src/read-api/projection-read-models';
import type { ReadModels, VentureView } from '../../src/read-api/read-models.port';
import { RedisVentureChanges } from '../../src/read-api/subscriptions/venture-changes';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(120_000);

interface WsLike {
  on(event: 'open' | 'close', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  send(data: string): void;
  close(): void;
}
// `ws` ships with mercurius (its WebSocket server); Node 20 has no WebSocket client of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const WebSocket = require('ws') as new (url: string, protocol: string) => WsLike;

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const venture = (id: string): VentureView => ({
  id, name: `Venture ${id}`, sector: 'energy', country: 'KE', stage: 'SEED', description: null,
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z', version: 3,
});

/** The venture read model as a stub: this file tests the fan-out, not the projection. Tenant acme owns v-*. */
const readModels = (pool: Parameters<typeof projectionReadModels>[0]): ReadModels => ({
  ...projectionReadModels(pool),
  venturesByIds: (tenant, ids) => Promise.resolve(new Map(tenant === 'acme' ? ids.filter((id) => id.startsWith('v-')).map((id) => [id, venture(id)]) : [])),
});

let db: TestDatabase;
let publisher: TestApi;
let subscriber: TestApi;
let url: string;

beforeAll(async () => {
  db = await createTestDatabase('e2e_subscriptions');
  const read = { redisUrl: REDIS_URL, readModels };
  publisher = await startTestApi({ databaseUrl: db.url, read });
  subscriber = await startTestApi({ databaseUrl: db.url, read });
  await subscriber.app.listen({ port: 0, host: '127.0.0.1' });
  url = `ws://127.0.0.1:${(subscriber.app.getHttpServer().address() as AddressInfo).port}/graphql`;
  await (subscriber.readApi.changes as RedisVentureChanges).ready();
});

afterAll(async () => {
  await subscriber?.close();
  await publisher?.close();
  await db?.drop();
});

interface Message {
  type: string;
  id?: string;
  payload?: { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] } & Record<string, unknown>;
}

/** A graphql-ws (graphql-transport-ws) client that collects what the server sends. */
async function subscribe(authorization: string | undefined, query: string): Promise<{ next: () => Promise<Message>; close: () => void }> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const inbox: Message[] = [];
  let wake: (() => void) | undefined;
  socket.on('message', (data) => {
    inbox.push(JSON.parse(data.toString()) as Message);
    wake?.();
  });
  const next = async (): Promise<Message> => {
    while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return inbox.shift() as Message;
  };
  await new Promise<void>((resolve) => socket.on('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: authorization === undefined ? {} : { authorization } }));
  expect((await next()).type).toBe('connection_ack');
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
  return { next, close: () => socket.close() };
}

/** Notifies until the subscriber hears something (the subscription registers asynchronously after `subscribe`). */
async function untilDelivered(client: { next: () => Promise<Message> }, notify: () => void): Promise<Message> {
  const received = client.next();
  let delivered = false;
  void received.then(() => (delivered = true));
  for (let i = 0; i < 200 && !delivered; i++) {
    notify();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return received;
}

describe('the ventureChanged subscription', () => {
  it("delivers a change notified on another replica through Redis, for the subscriber's tenant only", async () => {
    const token = await subscriber.token({ sub: 'ann', tenant: 'acme', roles: ['analyst'] });
    const client = await subscribe(`Bearer ${token}`, 'subscription { ventureChanged { id name version } }');
    try {
      const message = await untilDelivered(client, () => {
        publisher.readApi.changes.notify('globex', 'v-globex');
        publisher.readApi.changes.notify('acme', 'v-1');
      });
      expect(message).toEqual({ id: '1', type: 'next', payload: { data: { ventureChanged: { id: 'v-1', name: 'Venture v-1', version: 3 } } } });
    } finally {
      client.close();
    }
  });

  it('filters by venture id when one is given', async () => {
    const token = await subscriber.token({ sub: 'ann', tenant: 'acme', roles: ['investor'] });
    const client = await subscribe(`Bearer ${token}`, 'subscription { ventureChanged(id: "v-2") { id } }');
    try {
      const message = await untilDelivered(client, () => {
        publisher.readApi.changes.notify('acme', 'v-1');
        publisher.readApi.changes.notify('acme', 'v-2');
      });
      expect(message.payload?.data).toEqual({ ventureChanged: { id: 'v-2' } });
    } finally {
      client.close();
    }
  });

  it('refuses a connection without a token as UNAUTHENTICATED and a role without access as FORBIDDEN', async () => {
    const anonymous = await subscribe(undefined, 'subscription { ventureChanged { id } }');
    const refused = await anonymous.next();
    anonymous.close();
    expect(refused.type).toBe('error');
    expect(JSON.stringify(refused.payload)).toMatch(/UNAUTHENTICATED/);
    const operator = await subscribe(`Bearer ${await subscriber.token({ sub: 'op', tenant: 'acme', roles: ['operator'] })}`, 'subscription { ventureChanged { id } }');
    const forbidden = await operator.next();
    operator.close();
    expect(JSON.stringify(forbidden.payload)).toMatch(/FORBIDDEN/);
  });
});
