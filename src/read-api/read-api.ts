import { Redis } from 'ioredis';
import { Pool, type PoolConfig } from 'pg';
import type { Logger } from '../infra/logger';
import { migrateProjections } from '../projections/runtime/migrations';
import type { SchemaRegistry } from '../shared/schemas/schema-registry';
import type { EventStore } from '../write-model/event-store/event-store.port';
import { migrateReadApi } from './audit/audit-migrations';
import { InMemoryAnswerCache, RedisAnswerCache, TieredAnswerCache, type AnswerCache } from './cache/answer-cache';
import { DashboardReplay } from './dashboards/dashboard-replay';
import { DEFAULT_RATE_LIMIT, InMemoryRateLimiter, RedisRateLimiter, type RateLimit, type RateLimiter } from './limits/rate-limiter';
import { projectionReadModels } from './projection-read-models';
import type { ReadModels } from './read-models.port';
import { pgCheckpoints, ProjectionProgress } from './request/projection-progress';
import { LocalVentureChanges, RedisVentureChanges, type VentureChangeFeed, type VentureChangeNotifier } from './subscriptions/venture-changes';
import { VentureTimeTravel } from './time-travel/venture-as-of';
import { VentureSnapshots } from './time-travel/venture-snapshots';

export interface ReadApiOptions {
  /** The PostgreSQL of the log and the read models. */
  readonly databaseUrl: string;
  /** Shared cache, rate limits and subscription fan-out; in-process fallbacks without it. */
  readonly redisUrl?: string;
  readonly store: EventStore;
  readonly schemas: SchemaRegistry;
  readonly logger: Logger;
  readonly production: boolean;
  readonly readModels?: (pool: Pool) => ReadModels;
  /** Venture search on Elasticsearch (ELASTICSEARCH_URL); unset: PostgreSQL full-text search. */
  readonly elasticsearchUrl?: string;
  /** Prefix of the Elasticsearch index names (tests run isolated indexes). */
  readonly elasticsearchIndexPrefix?: string;
  readonly rateLimit?: RateLimit;
  readonly readAfterTimeoutMs?: number;
  readonly maxQueryCost?: number;
  readonly poolSize?: number;
  /** How long a dashboard answer stays cached (progress invalidates it sooner). */
  readonly cacheTtlSeconds?: number;
  /** Replaces the Redis or in-process answer cache (the benchmark measures with one that never hits). */
  readonly cache?: AnswerCache;
  /**
   * The venture change feed shared with a projector in this process (one LocalVentureChanges); unset: one
   * over REDIS_URL, or an in-process one only this process notifies.
   */
  readonly changes?: VentureChangeNotifier & VentureChangeFeed;
}

/** The limits a served query must respect (docs/api.md lists them). */
export interface ReadLimits {
  readonly readAfterTimeoutMs: number;
  readonly maxQueryCost: number;
  readonly maxQueryDepth: number;
  readonly cacheTtlSeconds: number;
}

/**
 * Everything the read side of the API shares across requests: the pool, the read models, the checkpoint
 * poller, the cache, the rate limiter and the venture change feed. Built once per process by the composition
 * root (main, tests, bench) and closed with it.
 */
export class ReadApi {
  private constructor(
    readonly pool: Pool,
    readonly store: EventStore,
    readonly schemas: SchemaRegistry,
    readonly readModels: ReadModels,
    readonly progress: ProjectionProgress,
    readonly cache: AnswerCache,
    readonly limiter: RateLimiter,
    readonly changes: VentureChangeNotifier & VentureChangeFeed,
    readonly timeTravel: VentureTimeTravel,
    readonly replay: DashboardReplay,
    readonly limits: ReadLimits,
    readonly production: boolean,
    private readonly redis: readonly Redis[],
  ) {}

  static async create(options: ReadApiOptions): Promise<ReadApi> {
    await migrateReadApi(options.databaseUrl);
    // The projections' catalog tables (status, rebuild requests) exist even before a projector first ran.
    await migrateProjections(options.databaseUrl);
    const { logger } = options;
    const pool = new Pool(readPoolConfig(options.databaseUrl, options.poolSize ?? 10));
    pool.on('error', (error) => logger.error({ err: error }, 'read pool error'));
    const { redisUrl } = options;
    const clients = options.changes === undefined ? 2 : 1; // the second one SUBSCRIBEs to the change feed
    const redis = redisUrl === undefined ? [] : Array.from({ length: clients }, () => redisClient(redisUrl, logger));
    const [commands, subscriber] = redis;
    const onError = (what: string) => (error: unknown) => logger.error({ err: error }, what);
    const progress = new ProjectionProgress(pgCheckpoints(pool), (a, b) => options.store.comparePositions(a, b), {}, onError('could not read projection checkpoints'));
    await progress.start();
    const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
    return new ReadApi(
      pool,
      options.store,
      options.schemas,
      (options.readModels ?? ((p: Pool) => projectionReadModels(p, searchOptions(options))))(pool),
      progress,
      options.cache ?? (commands ? new TieredAnswerCache(new RedisAnswerCache(commands)) : new InMemoryAnswerCache()),
      commands ? new RedisRateLimiter(commands, rateLimit) : new InMemoryRateLimiter(rateLimit),
      options.changes ?? (commands && subscriber ? new RedisVentureChanges(commands, subscriber, onError('venture change fan-out failed')) : new LocalVentureChanges()),
      new VentureTimeTravel(options.store, pool, new VentureSnapshots(pool, 1000, onError('could not save a venture snapshot'))),
      new DashboardReplay(pool, options.schemas),
      {
        readAfterTimeoutMs: options.readAfterTimeoutMs ?? 5000,
        maxQueryCost: options.maxQueryCost ?? 5000,
        maxQueryDepth: 12,
        cacheTtlSeconds: options.cacheTtlSeconds ?? 300,
      },
      options.production,
      redis,
    );
  }

  async close(): Promise<void> {
    this.progress.close();
    await this.readModels.close?.();
    await Promise.all(this.redis.map((client) => client.quit().catch(() => client.disconnect())));
    await this.pool.end();
  }
}

function searchOptions(options: ReadApiOptions) {
  return {
    ...(options.elasticsearchUrl !== undefined && { elasticsearchUrl: options.elasticsearchUrl }),
    ...(options.elasticsearchIndexPrefix !== undefined && { elasticsearchIndexPrefix: options.elasticsearchIndexPrefix }),
  };
}

function redisClient(url: string, logger: Logger): Redis {
  // Auto-pipelining: the commands of concurrent requests (rate-limit hits, cache reads) share one write.
  const client = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, enableAutoPipelining: true });
  client.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  return client;
}

/**
 * The read API's pool. Its per-request reads are named prepared statements (projections/shared/prepared.ts),
 * planned once per connection: planning these short reads costs about as much as running them, and left to
 * choose PostgreSQL may keep re-planning them. Each one's generic plan is checked to read through its index,
 * for every filter, at 100,000 ventures (test/api/read-plans.int.spec.ts); a value that changes the best plan
 * (a page's LIMIT) is part of the statement text instead. Unnamed statements are still planned per call.
 */
export function readPoolConfig(databaseUrl: string, max: number): PoolConfig {
  return { connectionString: databaseUrl, max, application_name: 'read-api', options: '-c plan_cache_mode=force_generic_plan' };
}
