import type { Redis } from 'ioredis';

/**
 * A cache of computed answers (JSON values). Keys carry the read model's checkpoint position, so projection
 * progress invalidates an entry by making its key unreachable; the TTL only bounds memory.
 */
export interface AnswerCache {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
}

export class RedisAnswerCache implements AnswerCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'answers:',
  ) {}

  async get(key: string): Promise<unknown> {
    const text = await this.redis.get(this.prefix + key);
    return text === null ? undefined : (JSON.parse(text) as unknown);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(value), 'EX', ttlSeconds);
  }
}

/** The fallback without Redis, and the first tier in front of it: a bounded map, least recently used evicted first. */
export class InMemoryAnswerCache implements AnswerCache {
  private readonly entries = new Map<string, { value: unknown; expiresAt: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): Promise<unknown> {
    const entry = this.entries.get(key);
    if (entry === undefined) return Promise.resolve(undefined);
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return Promise.resolve(undefined);
    this.entries.set(key, entry);
    return Promise.resolve(entry.value);
  }

  set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    return Promise.resolve();
  }
}

/** How long this process keeps an answer it holds (at most the shared TTL). */
const LOCAL_TTL_SECONDS = 60;

/**
 * This process's answers in front of the shared cache: a hit costs no Redis round trip and no JSON parsing.
 * Sound because an entry never changes: its key carries the read model's checkpoint, so newer data lands under
 * a new key (the TTL bounds memory, not staleness). A failing shared cache fails the call (`cachedAnswer` then computes).
 */
export class TieredAnswerCache implements AnswerCache {
  constructor(
    private readonly shared: AnswerCache,
    private readonly local: AnswerCache = new InMemoryAnswerCache(1000),
  ) {}

  async get(key: string): Promise<unknown> {
    const local = await this.local.get(key);
    if (local !== undefined) return local;
    const shared = await this.shared.get(key);
    if (shared !== undefined) await this.local.set(key, shared, LOCAL_TTL_SECONDS);
    return shared;
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.local.set(key, value, Math.min(ttlSeconds, LOCAL_TTL_SECONDS));
    await this.shared.set(key, value, ttlSeconds);
  }
}
