import { envelope } from '../testing/envelopes';
import { BatchQueue } from './batch-queue';

const batch = (n: number) => Array.from({ length: n }, (_, i) => envelope('E', {}, { streamId: 's-1', revision: i }));

describe('the read-ahead queue between subscription and applier', () => {
  it('merges queued batches up to the transaction size and says when the log was exhausted', async () => {
    const q = new BatchQueue(3, 10);
    void q.push(batch(10));
    void q.push(batch(4));
    expect(await q.take(100)).toEqual({ events: expect.any(Array), endOfLog: true });
    void q.push(batch(10));
    void q.push(batch(10));
    const taken = await q.take(15);
    expect(taken?.events).toHaveLength(10);
    expect(taken?.endOfLog).toBe(false);
  });

  it('holds the subscription back while full and lets it go when the applier takes', async () => {
    const q = new BatchQueue(1, 10);
    let released = false;
    void q.push(batch(10)).then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    await q.take(100);
    await Promise.resolve();
    expect(released).toBe(true);
  });

  it('ends a waiting take when closed', async () => {
    const q = new BatchQueue(2, 10);
    const waiting = q.take(10);
    q.close();
    await expect(waiting).resolves.toBeUndefined();
  });
});
