import { InMemoryDedupe } from './dedupe';

describe('InMemoryDedupe', () => {
  it('remembers handled ids', () => {
    const dedupe = new InMemoryDedupe(10);
    expect(dedupe.has('a')).toBe(false);
    dedupe.add('a');
    expect(dedupe.has('a')).toBe(true);
  });

  it('is bounded: forgets the least recently seen id first', () => {
    const dedupe = new InMemoryDedupe(3);
    for (const id of ['a', 'b', 'c']) dedupe.add(id);
    expect(dedupe.has('a')).toBe(true); // seen again: now the most recent
    dedupe.add('d');
    expect(dedupe.size).toBe(3);
    expect(dedupe.has('b')).toBe(false);
    expect(['a', 'c', 'd'].map((id) => dedupe.has(id))).toEqual([true, true, true]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new InMemoryDedupe(0)).toThrow('dedupe capacity must be a positive integer');
  });
});
