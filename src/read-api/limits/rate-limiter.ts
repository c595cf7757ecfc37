import type { Redis } from 'ioredis';
import { ApiError } from '../../app/graphql/api-error';

export interface RateLimit {
  /** Requests a subject may make per window. */
  readonly points: number;
  readonly windowSeconds: number;
}

export interface RateDecision {
  readonly allowed: boolean;
  /** Whole seconds until the window resets (at least 1 when refused). */
  readonly retryAfterSeconds: number;
}

/** Counts requests per subject in fixed windows; shared by every replica when it lives in Redis. */
export interface RateLimiter {
  hit(subject: string): Promise<RateDecision>;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { points: 600, windowSeconds: 60 };

/** INCR and set the window's expiry atomically; returns the count and the milliseconds left in the window. */
const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly limit: RateLimit = DEFAULT_RATE_LIMIT,
    private readonly prefix = 'ratelimit:',
  ) {}

  async hit(subject: string): Promise<RateDecision> {
    const result = (await this.redis.eval(HIT_SCRIPT, 1, `${this.prefix}${subject}`, String(this.limit.windowSeconds * 1000))) as [number, number];
    return decide(result[0], result[1], this.limit);
  }
}

/** One process only (no REDIS_URL): each replica would count on its own. */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetsAt: number }>();

  constructor(
    private readonly limit: RateLimit = DEFAULT_RATE_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  hit(subject: string): Promise<RateDecision> {
    const now = this.now();
    let window = this.windows.get(subject);
    if (window === undefined || window.resetsAt <= now) {
      if (this.windows.size > 100_000) this.evictExpired(now);
      window = { count: 0, resetsAt: now + this.limit.windowSeconds * 1000 };
      this.windows.set(subject, window);
    }
    window.count += 1;
    return Promise.resolve(decide(window.count, window.resetsAt - now, this.limit));
  }

  private evictExpired(now: number): void {
    for (const [key, window] of this.windows) if (window.resetsAt <= now) this.windows.delete(key);
  }
}

function decide(count: number, msLeft: number, limit: RateLimit): RateDecision {
  return { allowed: count <= limit.points, retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)) };
}

export function rateLimited(decision: RateDecision): ApiError {
  return new ApiError('RATE_LIMITED', `too many requests: retry in ${decision.retryAfterSeconds} s`, undefined, {
    retryAfterSeconds: decision.retryAfterSeconds,
  });
}
