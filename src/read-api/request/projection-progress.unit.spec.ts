import { ApiError } from '../../app/graphql/api-error';
import { ProjectionProgress } from './projection-progress';

const compare = (a: string, b: string): number => Number(BigInt(a) - BigInt(b));

describe('waiting for projections to reach a position', () => {
  it('resolves once every projection asked for has reached it', async () => {
    let positions = new Map([['ventures', '5'], ['gedsi', '9']]);
    const progress = new ProjectionProgress(() => Promise.resolve(positions), compare, { busyIntervalMs: 1, idleIntervalMs: 1000 });
    await progress.start();
    let done = false;
    const wait = progress.waitFor(['ventures', 'gedsi'], '7', 10_000).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    positions = new Map([['ventures', '8'], ['gedsi', '9']]);
    await wait;
    expect(done).toBe(true);
    expect(progress.position('ventures')).toBe('8');
    progress.close();
  });

  it('answers STALE_READ naming the read models behind', async () => {
    const progress = new ProjectionProgress(() => Promise.resolve(new Map([['capital', '1']])), compare, { busyIntervalMs: 1 });
    await progress.start();
    const error = await progress.waitFor(['capital'], '2', 30).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'STALE_READ', message: expect.stringMatching(/capital had not processed position 2/) });
    progress.close();
  });
});
