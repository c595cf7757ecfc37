import { Pool } from 'pg';
import type { Logger } from '../infra/logger';
import type { EventStore } from '../write-model/event-store/event-store.port';
import { migrateSimulatedProvider } from './capital/simulated-provider';
import { httpSink, WebhookDeliverer } from './capital/webhook-deliverer';
import { createSagaApi, type SagaApi } from './saga-api';
import { loadSagaConfig, SagaConfigError } from './saga-config';
import { startSagaWorker, type SagaWorker } from './saga-worker';

export interface SagaRole {
  readonly api: SagaApi;
  readonly worker: SagaWorker;
  stop(): Promise<void>;
}

/**
 * The saga role inside `npm start`: the saga worker with the simulated payment provider, the provider's webhook
 * sender posting to this process's `POST /webhooks/payments`, and what the API needs (secret, inbox, status).
 */
export async function startSagaRole(options: {
  readonly databaseUrl: string;
  readonly eventStoreConnectionString?: string;
  readonly store: EventStore;
  readonly logger: Logger;
  readonly webhookUrl: string;
}): Promise<SagaRole> {
  let config;
  try {
    config = loadSagaConfig();
  } catch (error: unknown) {
    if (error instanceof SagaConfigError) process.stderr.write(`${error.message}\n`);
    throw error;
  }
  const logger = options.logger.child({ component: 'sagas' });
  if (config.generatedSecret) logger.warn('PAYMENT_WEBHOOK_SECRET is not set: using a development secret generated for this run');
  const api = await createSagaApi({
    databaseUrl: options.databaseUrl,
    store: options.store,
    webhookSecret: config.webhookSecret,
    onError: (error) => logger.warn({ err: error }, 'saga api: pool error'),
  });
  const worker = await startSagaWorker({
    databaseUrl: options.databaseUrl,
    ...(options.eventStoreConnectionString !== undefined && { eventStoreConnectionString: options.eventStoreConnectionString }),
    logger,
    simulatedProvider: config.provider,
    capital: config.capital,
    gedsi: config.gedsi,
  });
  const pool = new Pool({ connectionString: options.databaseUrl, max: 2, application_name: 'simulated-provider-webhooks' });
  pool.on('error', (error) => logger.warn({ err: error }, 'simulated provider: pool error'));
  await migrateSimulatedProvider(pool);
  const deliverer = new WebhookDeliverer({ pool, secret: config.webhookSecret, sink: httpSink(options.webhookUrl), logger, pollMs: 50 });
  deliverer.start();
  return {
    api,
    worker,
    stop: async () => {
      await deliverer.stop();
      await worker.stop();
      await pool.end();
      await api.close();
    },
  };
}
