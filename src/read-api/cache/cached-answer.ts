import { cacheRequests } from '../../infra/observability/metrics';
import type { ReadRequest } from '../request/read-request';

/**
 * A read-model answer through the cache. The key carries the projection's checkpoint as this process last read
 * it, after waiting for the request's X-Read-After: an entry is never older than what the caller has seen, and
 * projection progress makes old entries unreachable. A cache that fails is bypassed, not fatal.
 */
export async function cachedAnswer<T>(read: ReadRequest, projection: string, key: string, compute: () => Promise<T>): Promise<T> {
  await read.caughtUp(projection);
  const { api } = read;
  const position = api.progress.position(projection);
  if (position === undefined) return compute();
  const cacheKey = `${projection}@${position}:${key}`;
  try {
    const hit = await api.cache.get(cacheKey);
    cacheRequests.inc({ cache: projection, result: hit !== undefined ? 'hit' : 'miss' });
    if (hit !== undefined) return hit as T;
  } catch {
    cacheRequests.inc({ cache: projection, result: 'error' });
    return compute();
  }
  const value = await compute();
  await api.cache.set(cacheKey, value, api.limits.cacheTtlSeconds).catch(() => undefined);
  return value;
}
