import { ConfigError } from '../config/config';
import { createLogger } from '../infra/logger';
import { startRelay } from './kafka-relay';
import { loadRelayConfig, type RelayConfig } from './relay-config';

/**
 * The relay role on its own: `node dist/src/relay/relay-main.js` (or `tsx src/relay/relay-main.ts`) with
 * DATABASE_URL and KAFKA_BROKERS (RELAY_TOPIC_PREFIX, RELAY_TOPIC_PARTITIONS, RELAY_BATCH_SIZE optional).
 * SIGTERM or SIGINT: finish the batch in flight, release the lease, exit 0.
 */
async function main(): Promise<void> {
  let config: RelayConfig;
  try {
    config = loadRelayConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`relay: ${error.message}\n`);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  const relay = await startRelay({
    databaseUrl: config.databaseUrl,
    brokers: config.brokers,
    logger,
    topicPrefix: config.topicPrefix,
    partitions: config.partitions,
    batchSize: config.batchSize,
  });
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'relay stopping');
      relay.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'relay stop failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`relay failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
