import 'reflect-metadata';
import { join } from 'node:path';
import { resolveAuth } from './app/auth/dev-secret';
import { createApp } from './app/create-app';
import { loadConfigOrExit } from './config/config';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './infra/embedded-postgres';
import { createLogger } from './infra/logger';
import { SchemaRegistry } from './shared/schemas/schema-registry';
import { createEventStore } from './write-model/event-store/create-event-store';
import type { EventStore } from './write-model/event-store/event-store.port';
import { ValidatingEventStore } from './write-model/event-store/validating-event-store';

/**
 * `npm start`: every role in one process. Without DATABASE_URL an embedded PostgreSQL runs under
 * DATA_DIR/postgres (kept across restarts); without AUTH_JWT_SECRET (outside production) a development secret
 * is generated for this run.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const auth = await resolveAuth(config);
  const cleanups: (() => Promise<void>)[] = [];
  const shutdown = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'shutting down');
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => logger.error({ err: error }, 'error during shutdown'));
    }
  };

  try {
    let databaseUrl = config.databaseUrl;
    if (databaseUrl === undefined) {
      const pg: EmbeddedPostgresHandle = await startEmbeddedPostgres({
        dataDir: join(config.dataDir, 'postgres'),
        port: 0,
        logger: logger.child({ component: 'embedded-postgres' }),
      });
      cleanups.push(() => pg.stop());
      databaseUrl = pg.url;
    }
    const schemas = new SchemaRegistry();
    const inner = await createEventStore({
      databaseUrl,
      ...(config.eventStoreConnectionString !== undefined && { eventStoreConnectionString: config.eventStoreConnectionString }),
      onBackgroundError: (error) => logger.error({ err: error }, 'event store background error'),
    });
    const store: EventStore = new ValidatingEventStore(inner, schemas);
    cleanups.push(() => store.close());
    const app = await createApp({ store, schemas, logger, authSecret: auth.secret });
    cleanups.push(() => app.close());
    await app.listen({ host: config.host, port: config.port });
  } catch (error: unknown) {
    logger.fatal({ err: error }, 'start failed');
    await shutdown('start failure');
    process.exit(1);
  }

  for (const line of auth.banner) process.stdout.write(`${line}\n`);
  process.stdout.write(`GraphQL: http://${config.host}:${config.port}/graphql\n`);
  logger.info({ host: config.host, port: config.port }, 'listening');

  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void shutdown(signal).then(() => process.exit(0));
    });
  }
}

void main();
