import { cacheRequests } from '../../infra/observability/metrics';
import type { ReadRequest } from '../request/read-request';
import type { AnswerCache } from './answer-cache';

/** Answers being looked up or computed, per cache and key: concurrent requests for one key share the work. */
const inFlight = new WeakMap<AnswerCache, Map<string, Promise<unknown>>>();

/**
 * A read-model answer through the cache. The key carries the projection's checkpoint as this process last read
 * it, after waiting for the request's X-Read-After: an entry is never older than what the caller has seen, and
 * projection progress makes old entries unreachable. Requests for a key whose answer is already being looked up
 * or computed in this process wait for that one (each checkpoint move invalidates every key at once: without
 * this, every concurrent request would recompute). A cache that fails is bypassed, not fatal.
 */
export async function cachedAnswer<T>(read: ReadRequest, projection: string, key: string, compute: () => Promise<T>): Promise<T> {
  await read.caughtUp(projection);
  const { api } = read;
  const position = api.progress.position(projection);
  if (position === undefined) return compute();
  const cacheKey = `${projection}@${position}:${key}`;
  let pending = inFlight.get(api.cache);
  if (pending === undefined) {
    pending = new Map();
    inFlight.set(api.cache, pending);
  }
  const shared = pending.get(cacheKey);
  if (shared !== undefined) return shared as Promise<T>;
  const answer = lookUpOrCompute(api.cache, api.limits.cacheTtlSeconds, projection, cacheKey, compute);
  pending.set(cacheKey, answer);
  try {
    return await answer;
  } finally {
    pending.delete(cacheKey);
  }
}

async function lookUpOrCompute<T>(cache: AnswerCache, ttlSeconds: number, projection: string, cacheKey: string, compute: () => Promise<T>): Promise<T> {
  try {
    const hit = await cache.get(cacheKey);
    cacheRequests.inc({ cache: projection, result: hit !== undefined ? 'hit' : 'miss' });
    if (hit !== undefined) return hit as T;
  } catch {
    cacheRequests.inc({ cache: projection, result: 'error' });
    return compute();
  }
  const value = await compute();
  await cache.set(cacheKey, value, ttlSeconds).catch(() => undefined);
  return value;
}
