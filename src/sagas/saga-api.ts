import { Pool } from 'pg';
import type { EventStore } from '../write-model/event-store/event-store.port';
import { PgWebhookInbox, type WebhookInbox } from './capital/payment-webhooks';
import { migrateSagas } from './runtime/migrations';
import { sagaStatus, type SagaStatus } from './runtime/status';
import { SAGA_NAMES } from './saga-worker';

/** Nest token of the `SagaApi` (absent: the webhook endpoint answers 503 and `sagas` is empty). */
export const SAGA_API = Symbol('SagaApi');

/** What the API process needs from the saga side: the webhook secret and inbox, and the operator status. */
export interface SagaApi {
  readonly webhookSecret: string;
  readonly inbox: WebhookInbox;
  status(): Promise<SagaStatus[]>;
  close(): Promise<void>;
}

export async function createSagaApi(options: { databaseUrl: string; store: EventStore; webhookSecret: string; onError?: (error: Error) => void }): Promise<SagaApi> {
  await migrateSagas(options.databaseUrl);
  const pool = new Pool({ connectionString: options.databaseUrl, max: 4, application_name: 'saga-api' });
  // An idle connection that dies is replaced on the next query; unhandled, the pool's 'error' would end the process.
  pool.on('error', (error) => options.onError?.(error));
  return {
    webhookSecret: options.webhookSecret,
    inbox: new PgWebhookInbox(pool),
    status: () => sagaStatus(pool, options.store, SAGA_NAMES),
    close: () => pool.end(),
  };
}
