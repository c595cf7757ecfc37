import { Redis } from 'ioredis';
import type { Logger } from '../../infra/logger';
import { LocalVentureChanges, RedisVentureNotifier, type VentureChangeFeed, type VentureChangeNotifier } from './venture-changes';

export interface VentureChangeRouting {
  /** What this process's projector notifies; unset: no process could hear it. */
  readonly projector?: VentureChangeNotifier;
  /** The feed this process's read API must use; unset: it builds its own (over REDIS_URL when set). */
  readonly api?: VentureChangeNotifier & VentureChangeFeed;
  /** Closes the projector's Redis connection; call after the projector stopped. */
  close(): Promise<void>;
}

export interface VentureChangeRoutingOptions {
  /** This process runs the projector. */
  readonly projector: boolean;
  /** This process runs the API (serves `ventureChanged`). */
  readonly api: boolean;
  readonly redisUrl?: string;
  readonly logger: Logger;
}

/**
 * How a projector's venture changes reach `ventureChanged` subscribers: with REDIS_URL it PUBLISHes on its own
 * connection and every API replica's feed hears it; without, only an API in the same process can hear it,
 * through one shared in-process emitter.
 */
export function routeVentureChanges(options: VentureChangeRoutingOptions): VentureChangeRouting {
  const { logger } = options;
  if (!options.projector) return { close: () => Promise.resolve() };
  if (options.redisUrl !== undefined) {
    const publisher = new Redis(options.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
    const onError = (error: unknown): void => logger.warn({ err: error }, 'venture change publish failed');
    publisher.on('error', onError);
    return {
      projector: new RedisVentureNotifier(publisher, onError),
      close: async () => {
        await publisher.quit().catch(() => publisher.disconnect());
      },
    };
  }
  if (options.api) {
    const local = new LocalVentureChanges();
    return { projector: local, api: local, close: () => Promise.resolve() };
  }
  logger.info('no REDIS_URL: ventureChanged subscribers of API processes are not told of this projector\'s changes');
  return { close: () => Promise.resolve() };
}
