import { createLogger } from '../infra/logger';
import { parseEnum, LOG_LEVELS } from '../config/parsers';
import { routeVentureChanges } from '../read-api/subscriptions/venture-change-routing';
import { startProjector, type ProjectorOptions } from './projector';
import { ventureChangeHook } from './ventures/changed-ventures';

/**
 * The projector role on its own: `tsx src/projections/projector-main.ts` with DATABASE_URL (and optionally
 * ELASTICSEARCH_URL, PROJECTIONS=ventures,gedsi, REDIS_URL to tell `ventureChanged` subscribers). SIGTERM or SIGINT: finish the batches in flight, release
 * the leases, exit 0.
 */
async function main(): Promise<void> {
  const databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) {
    process.stderr.write('projector: DATABASE_URL is required\n');
    process.exit(2);
  }
  const level = parseEnum(process.env['LOG_LEVEL'] ?? 'info', LOG_LEVELS);
  const logger = createLogger(level.ok ? level.value : 'info');
  const only = process.env['PROJECTIONS']?.split(',').map((s) => s.trim()).filter(Boolean);
  const runtime: ProjectorOptions['runtime'] = {
    ...(process.env['PROJECTOR_BUILD_BATCH'] && { buildBatchEvents: Number(process.env['PROJECTOR_BUILD_BATCH']) }),
    ...(process.env['PROJECTOR_READ_SIZE'] && { readSize: Number(process.env['PROJECTOR_READ_SIZE']) }),
    ...(process.env['PROJECTOR_TICK_MS'] && { tickMs: Number(process.env['PROJECTOR_TICK_MS']) }),
  };
  const redisUrl = process.env['REDIS_URL'];
  const changes = routeVentureChanges({ projector: true, api: false, logger, ...(redisUrl && { redisUrl }) });
  const projector = await startProjector({
    databaseUrl,
    ...(changes.projector && { onCommitted: ventureChangeHook(changes.projector) }),
    logger,
    runtime,
    ...(process.env['ELASTICSEARCH_URL'] && { elasticsearchUrl: process.env['ELASTICSEARCH_URL'] }),
    ...(process.env['ELASTICSEARCH_INDEX_PREFIX'] && { elasticsearchIndexPrefix: process.env['ELASTICSEARCH_INDEX_PREFIX'] }),
    ...(only && only.length > 0 && { only }),
  });
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'projector stopping');
      projector.stop().then(() => changes.close()).then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'projector stop failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`projector failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
