import { DocCache } from './doc-cache';

describe('the document cache of a runner', () => {
  it('remembers documents and known absences, least recently used evicted first', () => {
    const cache = new DocCache(1, 2);
    cache.set(0, 'a', { id: 'a' });
    cache.set(0, 'b', undefined);
    expect(cache.get(0, 'a')).toEqual({ hit: true, doc: { id: 'a' } });
    cache.set(0, 'c', { id: 'c' });
    expect(cache.get(0, 'b')).toEqual({ hit: false });
    expect(cache.get(0, 'a')).toEqual({ hit: true, doc: { id: 'a' } });
  });

  it('knows a key is absent without asking when the generation started empty and never wrote it', () => {
    const cache = new DocCache(1, 1);
    expect(cache.lookup(0, 'x')).toEqual({ hit: false });
    cache.startedEmpty();
    cache.set(0, 'a', { id: 'a' });
    cache.set(0, 'b', { id: 'b' });
    expect(cache.lookup(0, 'never')).toEqual({ hit: true, doc: undefined });
    expect(cache.lookup(0, 'a')).toEqual({ hit: false });
    cache.clear();
    expect(cache.lookup(0, 'never')).toEqual({ hit: false });
  });
});
