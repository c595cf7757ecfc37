import { Pool } from 'pg';
import { createLogger } from '../infra/logger';
import { LOG_LEVELS, parseEnum } from '../config/parsers';
import { migrateSimulatedProvider } from './capital/simulated-provider';
import { httpSink, WebhookDeliverer } from './capital/webhook-deliverer';
import { loadSagaConfig, SagaConfigError } from './saga-config';
import { startSagaWorker } from './saga-worker';

/**
 * The saga role on its own (`node dist/src/sagas/worker-main.js`, or `tsx src/sagas/worker-main.ts`): DATABASE_URL,
 * EVENTSTORE_CONNECTION_STRING, the SAGA_* and SIM_PROVIDER_* settings (see saga-config.ts), and, when
 * PAYMENT_WEBHOOK_URL is set, the simulated provider's webhook sender posting there. The crash tests run it as a child
 * process with SAGA_FAULT set.
 */
async function main(): Promise<void> {
  const parsedLevel = parseEnum(process.env['LOG_LEVEL'] ?? 'info', LOG_LEVELS);
  const logger = createLogger(parsedLevel.ok ? parsedLevel.value : 'info');
  const databaseUrl = process.env['DATABASE_URL'];
  if (databaseUrl === undefined || databaseUrl === '') {
    process.stderr.write('DATABASE_URL is required\n');
    process.exit(1);
  }
  let config;
  try {
    config = loadSagaConfig();
  } catch (error: unknown) {
    process.stderr.write(`${error instanceof SagaConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const number = (name: string): number | undefined => (process.env[name] === undefined ? undefined : Number(process.env[name]));
  const timerPollMs = number('SAGA_TIMER_POLL_MS');
  const leaseRetryMs = number('SAGA_LEASE_RETRY_MS');
  const esdb = process.env['EVENTSTORE_CONNECTION_STRING'];
  const worker = await startSagaWorker({
    databaseUrl,
    logger,
    simulatedProvider: config.provider,
    capital: config.capital,
    gedsi: config.gedsi,
    ...(esdb !== undefined && esdb !== '' && { eventStoreConnectionString: esdb }),
    ...(timerPollMs !== undefined && { timerPollMs }),
    ...(leaseRetryMs !== undefined && { leaseRetryMs, restartDelayMs: leaseRetryMs }),
  });
  const webhookUrl = process.env['PAYMENT_WEBHOOK_URL'];
  let deliverer: WebhookDeliverer | undefined;
  let pool: Pool | undefined;
  if (webhookUrl !== undefined && webhookUrl !== '') {
    pool = new Pool({ connectionString: databaseUrl, max: 2 });
    pool.on('error', (error) => logger.warn({ err: error }, 'simulated provider: pool error'));
    await migrateSimulatedProvider(pool);
    deliverer = new WebhookDeliverer({ pool, secret: config.webhookSecret, sink: httpSink(webhookUrl), logger });
    deliverer.start();
  }
  process.stdout.write(`saga worker ${process.pid} started\n`);
  const stop = async (): Promise<void> => {
    await deliverer?.stop();
    await worker.stop();
    await pool?.end();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

void main();
