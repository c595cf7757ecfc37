import { hostname } from 'node:os';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { schemaRegistry } from '../shared/schemas/schema-registry';
import type { EventStore } from '../write-model/event-store/event-store.port';
import { PostgresEventStore } from '../write-model/event-store/postgres/postgres-event-store';
import { pgProjections } from './all-projections';
import { Catalog } from './runtime/catalog';
import { ProjectionController, type CommittedHook, type ControllerOptions } from './runtime/controller';
import { DeadLetters } from './runtime/dead-letters';
import type { GenerationStore } from './runtime/generation-store';
import { LeaseConnection } from './runtime/lease';
import { LogTail } from './runtime/log-tail';
import { migrateProjections } from './runtime/migrations';
import { PgGenerationStore } from './runtime/pg-generation-store';
import type { EsProjection, Projection } from './runtime/projection';
import type { PgGenerationStoreDeps } from './runtime/pg-generation-store';
import { EsGenerationStore } from './search/es-generation-store';
import { ventureSearchProjection } from './search/venture-search.projection';

export interface ProjectorOptions {
  readonly databaseUrl: string;
  /** Adds the Elasticsearch venture index; unset: search falls back to PostgreSQL full-text search. */
  readonly elasticsearchUrl?: string;
  readonly logger: Logger;
  /** Only these projections (by name); default all. */
  readonly only?: readonly string[];
  /** Replaces the built-in list (tests). */
  readonly projections?: readonly Projection[];
  readonly runtime?: Partial<ControllerOptions>;
  /** Prefix of Elasticsearch index names (tests run isolated indexes). */
  readonly elasticsearchIndexPrefix?: string;
  /** Names this process as lease owner (default host:pid). */
  readonly instanceId?: string;
  /**
   * Called after a batch of a projection's live generation committed (rows and checkpoint), with the events of
   * the batch it handles; never for a generation being rebuilt. Errors are logged, never stop the projector.
   */
  readonly onCommitted?: CommittedHook;
}

export type { CommittedHook };

export interface Projector {
  readonly controllers: readonly ProjectionController[];
  stop(): Promise<void>;
}

// A batch only holds what was read while the previous one was written: small when live, big while catching up.
export const DEFAULT_RUNTIME: ControllerOptions = { readSize: 5000, liveBatchEvents: 20_000, buildBatchEvents: 20_000, tickMs: 1000 };

/**
 * Runs the projections of this build against DATABASE_URL's log, each while this process holds its lease
 * (a second projector waits and takes over when this one dies). `stop` finishes the batches in flight and
 * releases the leases.
 */
export async function startProjector(options: ProjectorOptions): Promise<Projector> {
  const { logger, databaseUrl } = options;
  await migrateProjections(databaseUrl);
  const onBackgroundError = (error: Error): void => logger.warn({ err: error }, 'projector background error');
  const store: EventStore = await PostgresEventStore.create({ connectionString: databaseUrl, poolSize: 6, onBackgroundError });
  const pool = new Pool({ connectionString: databaseUrl, max: 8, application_name: 'projector' });
  pool.on('error', onBackgroundError);
  const catalog = new Catalog(pool);
  const deadLetters = new DeadLetters(pool);
  const tail = new LogTail(store);
  await tail.open(onBackgroundError);
  const owner = options.instanceId ?? `${hostname()}:${process.pid}`;
  const lease = new LeaseConnection(databaseUrl, onBackgroundError, `projector-lease ${owner}`.slice(0, 63));
  const schemas = schemaRegistry();
  const runtime = { ...DEFAULT_RUNTIME, ...options.runtime };

  const all = options.projections ?? [...pgProjections(), ...esProjections(options)];
  const selected = options.only ? all.filter((p) => options.only?.includes(p.name)) : all;
  const controllers: ProjectionController[] = [];
  const targets: GenerationStore[] = [];
  for (const projection of selected) {
    await catalog.ensure(projection.name);
    const prepare = { canHandle: new Set(projection.canHandle), compare: (a: string, b: string) => store.comparePositions(a, b), upcast: schemas.upcast.bind(schemas) };
    const target: GenerationStore =
      projection.target === 'postgres'
        ? new PgGenerationStore(projection, { ...prepare, pool, catalog, deadLetters })
        : esTarget(projection, options, { ...prepare, pool, catalog, deadLetters });
    targets.push(target);
    const deps = { projection, target, store, source: tail, pool, catalog, deadLetters, lease, logger, owner, options: runtime };
    controllers.push(new ProjectionController({ ...deps, ...(options.onCommitted && { onCommitted: options.onCommitted }) }));
  }
  for (const c of controllers) c.start();
  logger.info({ projections: controllers.map((c) => c.name), owner }, 'projector started');

  let stopping: Promise<void> | undefined;
  return {
    controllers,
    stop() {
      stopping ??= (async () => {
        await Promise.all(controllers.map((c) => c.stop()));
        await tail.close();
        await Promise.all(targets.map((t) => t.close?.() ?? Promise.resolve()));
        await lease.close();
        await store.close();
        await pool.end();
        logger.info({ owner }, 'projector stopped');
      })();
      return stopping;
    },
  };
}

/** The Elasticsearch projections: only when ELASTICSEARCH_URL is set. */
function esProjections(options: ProjectorOptions): Projection[] {
  return options.elasticsearchUrl === undefined ? [] : [ventureSearchProjection];
}

function esTarget(projection: EsProjection, options: ProjectorOptions, deps: PgGenerationStoreDeps): GenerationStore {
  if (options.elasticsearchUrl === undefined) throw new Error(`projection ${projection.name} needs ELASTICSEARCH_URL`);
  return new EsGenerationStore(projection, { ...deps, url: options.elasticsearchUrl, indexPrefix: options.elasticsearchIndexPrefix ?? '' });
}
