import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { createLogger } from '../../infra/logger';
import { ReadApi, type ReadApiOptions } from '../../read-api/read-api';
import type { SagaApi } from '../../sagas/saga-api';
import { SchemaRegistry } from '../../shared/schemas/schema-registry';
import { createEventStore } from '../../write-model/event-store/create-event-store';
import type { EventStore } from '../../write-model/event-store/event-store.port';
import { ValidatingEventStore } from '../../write-model/event-store/validating-event-store';
import { issueDevToken, type Principal } from '../auth/jwt';
import { createApp } from '../create-app';
import type { Clock } from '../tokens';

export interface GraphQLResponse {
  readonly status: number;
  readonly data: Record<string, unknown> | null;
  readonly errors: readonly { message: string; extensions?: { code?: string; field?: string }; [key: string]: unknown }[];
  readonly raw: string;
}

export interface TestApi {
  readonly app: NestFastifyApplication;
  readonly store: EventStore;
  readonly readApi: ReadApi;
  /** Every log line the app wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  token(principal: Principal, ttlSeconds?: number): Promise<string>;
  graphql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse>;
  eventCount(): Promise<number>;
  close(): Promise<void>;
}

const SECRET = 'e2e-secret-e2e-secret-e2e-secret-e2e';

/** The whole API in process (fastify `inject`, no port) over a real PostgreSQL event store. */
export interface TestApiOptions {
  readonly databaseUrl: string;
  readonly clock?: Clock;
  readonly wrapStore?: (store: EventStore) => EventStore;
  /** Read-side options (Redis, rate limit, production mode, read models...). */
  readonly read?: Partial<Omit<ReadApiOptions, 'databaseUrl' | 'store' | 'schemas' | 'logger'>>;
  /** Payment webhooks and saga status (see `createSagaApi`). */
  readonly sagas?: SagaApi;
}

export async function startTestApi(options: TestApiOptions): Promise<TestApi> {
  const schemas = new SchemaRegistry();
  const store = new ValidatingEventStore(await createEventStore({ databaseUrl: options.databaseUrl }), schemas);
  const logs: Record<string, unknown>[] = [];
  const destination: pino.DestinationStream = { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) };
  const logger = createLogger('info', destination);
  const served = options.wrapStore ? options.wrapStore(store) : store;
  const readApi = await ReadApi.create({ production: false, ...options.read, databaseUrl: options.databaseUrl, store: served, schemas, logger });
  const app = await createApp({
    store: served,
    readApi,
    schemas,
    logger,
    authSecret: SECRET,
    ...(options.clock !== undefined && { clock: options.clock }),
    ...(options.sagas !== undefined && { sagas: options.sagas }),
  });
  return {
    app,
    store,
    readApi,
    logs,
    token: (principal, ttlSeconds) => issueDevToken(principal, SECRET, ttlSeconds),
    async graphql(query, variables, headers = {}) {
      const response = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', ...headers },
        payload: JSON.stringify({ query, variables }),
      });
      const body = JSON.parse(response.body) as { data?: Record<string, unknown> | null; errors?: GraphQLResponse['errors'] };
      return { status: response.statusCode, data: body.data ?? null, errors: body.errors ?? [], raw: response.body };
    },
    async eventCount() {
      return (await store.readAll({ maxCount: 10_000 })).length;
    },
    async close() {
      await app.close();
      await readApi.close();
      await store.close();
    },
  };
}
