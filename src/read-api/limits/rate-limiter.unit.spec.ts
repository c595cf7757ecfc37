import { InMemoryRateLimiter } from './rate-limiter';

describe('the in-process rate limiter', () => {
  it('allows the window points, then refuses with the seconds left, then allows again in the next window', async () => {
    let now = 1_000_000;
    const limiter = new InMemoryRateLimiter({ points: 2, windowSeconds: 10 }, () => now);
    expect(await limiter.hit('a')).toEqual({ allowed: true, retryAfterSeconds: 10 });
    expect((await limiter.hit('a')).allowed).toBe(true);
    now += 3_500;
    expect(await limiter.hit('a')).toEqual({ allowed: false, retryAfterSeconds: 7 });
    expect((await limiter.hit('b')).allowed).toBe(true);
    now += 6_500;
    expect((await limiter.hit('a')).allowed).toBe(true);
  });
});
