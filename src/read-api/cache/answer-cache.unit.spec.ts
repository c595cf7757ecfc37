import { InMemoryAnswerCache, TieredAnswerCache, type AnswerCache } from './answer-cache';

/** A shared cache that records its calls (stands in for Redis). */
function recordingCache(): AnswerCache & { readonly calls: string[] } {
  const inner = new InMemoryAnswerCache();
  const calls: string[] = [];
  return {
    calls,
    get: (key) => {
      calls.push(`get ${key}`);
      return inner.get(key);
    },
    set: (key, value, ttl) => {
      calls.push(`set ${key}`);
      return inner.set(key, value, ttl);
    },
  };
}

describe('answers cached in process in front of the shared cache', () => {
  it('answers a repeated key from this process without asking the shared cache again', async () => {
    const shared = recordingCache();
    const cache = new TieredAnswerCache(shared);
    await cache.set('gedsi@7:acme', { ventures: 3 }, 300);
    expect(await cache.get('gedsi@7:acme')).toEqual({ ventures: 3 });
    expect(shared.calls).toEqual(['set gedsi@7:acme']);
  });

  it('keeps what another replica stored in the shared cache after the first read', async () => {
    const shared = recordingCache();
    await shared.set('gedsi@8:acme', { ventures: 4 }, 300);
    const cache = new TieredAnswerCache(shared);
    expect(await cache.get('gedsi@8:acme')).toEqual({ ventures: 4 });
    expect(await cache.get('gedsi@8:acme')).toEqual({ ventures: 4 });
    expect(shared.calls.filter((c) => c.startsWith('get'))).toHaveLength(1);
    expect(await cache.get('gedsi@9:acme')).toBeUndefined();
  });

  it('fails a read when the shared cache fails and it holds nothing itself', async () => {
    const failing: AnswerCache = { get: () => Promise.reject(new Error('redis down')), set: () => Promise.reject(new Error('redis down')) };
    await expect(new TieredAnswerCache(failing).get('k')).rejects.toThrow('redis down');
  });
});

describe('the in-process answer cache', () => {
  it('evicts the least recently read entry first and forgets expired ones', async () => {
    let now = 0;
    const cache = new InMemoryAnswerCache(2, () => now);
    await cache.set('a', 1, 10);
    await cache.set('b', 2, 10);
    expect(await cache.get('a')).toBe(1);
    await cache.set('c', 3, 10);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBe(1);
    now = 10_000;
    expect(await cache.get('c')).toBeUndefined();
  });
});
