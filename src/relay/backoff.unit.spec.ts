import { backoffDelay, Sleeper } from './backoff';

describe('backoff', () => {
  it('doubles from the initial delay up to the maximum, with 50-100% jitter', () => {
    const options = { initialMs: 100, maxMs: 5000 };
    expect([1, 2, 3, 4, 7, 50].map((attempt) => backoffDelay(attempt, options, () => 1))).toEqual([100, 200, 400, 800, 5000, 5000]);
    expect(backoffDelay(3, options, () => 0)).toBe(200);
  });

  it('wakes sleepers early on demand', async () => {
    const sleeper = new Sleeper();
    const started = Date.now();
    const sleeping = sleeper.sleep(10_000);
    sleeper.wake();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
