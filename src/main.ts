import 'reflect-metadata';
import { roleFromArgv } from './roles/role-arg';
import { initTracing, shutdownTracing } from './infra/observability/tracing';
import { join } from 'node:path';
import { resolveAuth } from './app/auth/dev-secret';
import { createApp } from './app/create-app';
import { loadConfigOrExit, type AppConfig } from './config/config';
import { startEmbeddedPostgres } from './infra/embedded-postgres';
import { createLogger, type Logger } from './infra/logger';
import { startOpsServer } from './infra/observability/ops-server';
import type { ReadinessCheck } from './infra/observability/readiness';
import { configuredProjectionNames } from './projections/all-projections';
import { ProjectionsService } from './projections/projections.service';
import { startProjector } from './projections/projector';
import { ventureChangeHook } from './projections/ventures/changed-ventures';
import { ReadApi } from './read-api/read-api';
import { routeVentureChanges } from './read-api/subscriptions/venture-change-routing';
import { startRelay } from './relay/kafka-relay';
import { loadRelayConfig } from './relay/relay-config';
import { collectProjectionMetrics, collectRelayMetrics, collectSagaMetrics } from './roles/metrics-collectors';
import { createSagaApi, type SagaApi } from './sagas/saga-api';
import { loadSagaConfig } from './sagas/saga-config';
import { startSagaRole } from './sagas/saga-role';
import { SchemaRegistry } from './shared/schemas/schema-registry';
import { createEventStore } from './write-model/event-store/create-event-store';
import type { EventStore } from './write-model/event-store/event-store.port';
import { ValidatingEventStore } from './write-model/event-store/validating-event-store';

/** Past this, a shutdown that has not finished (a stuck batch, a dead broker) exits anyway. */
const SHUTDOWN_BOUND_MS = 20_000;

/**
 * One build, five roles (ROLE or --role=): `api` (GraphQL, webhooks), `projector` (read models and the search
 * index), `saga` (process managers, timers, the simulated payment provider), `relay` (integration events to
 * Kafka) and `all` (the default: every role in one process, the relay only when KAFKA_BROKERS is set). Each
 * role starts only what it needs and serves /health, /ready and /metrics. Without DATABASE_URL an embedded
 * PostgreSQL runs under DATA_DIR/postgres; without AUTH_JWT_SECRET (outside production) a development secret
 * is generated for this run.
 */
async function main(): Promise<void> {
  roleFromArgv(process.argv, process.env);
  const config = loadConfigOrExit();
  const role = config.role;
  initTracing({ serviceName: 'gedsi-capital-platform', role, ...(process.env.OTEL_EXPORTER_OTLP_ENDPOINT && { endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT }) });
  const logger = createLogger(config.logLevel).child({ role });
  const runs = (r: AppConfig['role']): boolean => role === 'all' || role === r;
  const cleanups: (() => Promise<unknown>)[] = [];
  const shutdown = async (reason: string): Promise<void> => {
    logger.info({ reason }, 'shutting down');
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => logger.error({ err: error }, 'error during shutdown'));
    }
    await shutdownTracing();
  };
  const started = Date.now();
  let banner: readonly string[] = [];

  try {
    let databaseUrl = config.databaseUrl;
    if (databaseUrl === undefined) {
      const pg = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'postgres'), port: 0, logger: logger.child({ component: 'embedded-postgres' }) });
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
    const checks: ReadinessCheck[] = [{ name: 'event-store', check: async () => void (await inner.headPosition()) }];
    // Closed after the projector stopped (cleanups run in reverse): its last batches still notify.
    const ventureChanges = routeVentureChanges({ projector: runs('projector'), api: runs('api'), logger, ...(config.redisUrl !== undefined && { redisUrl: config.redisUrl }) });
    cleanups.push(() => ventureChanges.close());

    if (runs('projector')) {
      const projector = await startProjector({
        databaseUrl,
        logger: logger.child({ component: 'projector' }),
        ...(config.elasticsearchUrl !== undefined && { elasticsearchUrl: config.elasticsearchUrl }),
        ...(ventureChanges.projector !== undefined && { onCommitted: ventureChangeHook(ventureChanges.projector) }),
      });
      cleanups.push(() => projector.stop());
      const status = await ProjectionsService.connect(databaseUrl, configuredProjectionNames(config.elasticsearchUrl));
      cleanups.push(() => status.close());
      const stopCollecting = collectProjectionMetrics(status);
      cleanups.push(() => Promise.resolve(stopCollecting()));
      checks.push({ name: 'projections', check: async () => void (await status.list()) });
    }

    let sagaApi: SagaApi | undefined;
    if (runs('saga')) {
      const apiHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      const sagas = await startSagaRole({
        databaseUrl,
        ...(config.eventStoreConnectionString !== undefined && { eventStoreConnectionString: config.eventStoreConnectionString }),
        store,
        logger,
        // Where the simulated provider posts its webhooks: this process (all) or the API service (split roles).
        webhookUrl: process.env.PAYMENT_WEBHOOK_URL ?? `http://${apiHost}:${config.port}/webhooks/payments`,
      });
      cleanups.push(() => sagas.stop());
      sagaApi = sagas.api;
      const stopCollecting = collectSagaMetrics(sagas.api);
      cleanups.push(() => Promise.resolve(stopCollecting()));
    }

    if (config.kafkaBrokers !== undefined && runs('relay')) {
      const relayConfig = loadRelayConfig({ ...process.env, DATABASE_URL: databaseUrl });
      const relay = await startRelay({
        databaseUrl,
        brokers: config.kafkaBrokers,
        logger,
        topicPrefix: relayConfig.topicPrefix,
        partitions: relayConfig.partitions,
        batchSize: relayConfig.batchSize,
      });
      cleanups.push(() => relay.stop());
      const stopCollecting = collectRelayMetrics(relay);
      cleanups.push(() => Promise.resolve(stopCollecting()));
      checks.push({ name: 'kafka-relay', check: async () => void (await relay.status()) });
    }

    if (runs('api')) {
      const auth = await resolveAuth(config);
      banner = auth.banner;
      const readApi = await ReadApi.create({
        databaseUrl,
        ...(config.redisUrl !== undefined && { redisUrl: config.redisUrl }),
        ...(config.elasticsearchUrl !== undefined && { elasticsearchUrl: config.elasticsearchUrl }),
        store,
        schemas,
        logger: logger.child({ component: 'read-api' }),
        production: config.nodeEnv === 'production',
        ...(ventureChanges.api !== undefined && { changes: ventureChanges.api }),
      });
      cleanups.push(() => readApi.close());
      if (sagaApi === undefined) {
        // The api role alone still takes the provider's webhooks and reports saga status.
        sagaApi = await createSagaApi({ databaseUrl, store, webhookSecret: loadSagaConfig().webhookSecret });
        const api = sagaApi;
        cleanups.push(() => api.close());
      }
      const app = await createApp({ store, schemas, logger, authSecret: auth.secret, readApi, sagas: sagaApi, readinessChecks: () => checks, role });
      cleanups.push(() => app.close());
      await app.listen({ host: config.host, port: config.port });
    } else {
      const ops = await startOpsServer({ role, host: config.host, port: config.port, checks: () => checks });
      cleanups.push(() => ops.close());
    }
  } catch (error: unknown) {
    logger.fatal({ err: error }, 'start failed');
    await shutdown('start failure');
    process.exit(1);
  }

  for (const line of banner) process.stdout.write(`${line}\n`);
  if (runs('api')) process.stdout.write(`GraphQL: http://${config.host}:${config.port}/graphql\n`);
  logger.info({ host: config.host, port: config.port, startupMs: Date.now() - started }, 'ready');
  handleSignals(logger, shutdown);
}

function handleSignals(logger: Logger, shutdown: (reason: string) => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      const timer = setTimeout(() => {
        logger.error({ boundMs: SHUTDOWN_BOUND_MS }, 'shutdown took too long: exiting');
        process.exit(1);
      }, SHUTDOWN_BOUND_MS);
      timer.unref();
      void shutdown(signal).then(() => process.exit(0));
    });
  }
}

void main();
