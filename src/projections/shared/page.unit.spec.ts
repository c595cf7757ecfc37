import { containsPattern, decodeCursor, encodeCursor, InvalidPageError, pageSize, toConnection } from './page';

describe('pages and cursors', () => {
  it('round-trips a keyset cursor and refuses one of another shape or garbage', () => {
    expect(decodeCursor(encodeCursor(['2026-05-01T10:00:00.000Z', 'id-1']), ['string', 'string'])).toEqual(['2026-05-01T10:00:00.000Z', 'id-1']);
    expect(() => decodeCursor(encodeCursor([0.5, 'id']), ['string', 'string'])).toThrow(InvalidPageError);
    expect(() => decodeCursor('%%%', ['string'])).toThrow(InvalidPageError);
    expect(decodeCursor(undefined, ['string'])).toBeUndefined();
  });

  it('accepts page sizes from 0 to the maximum only', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(0)).toBe(0);
    expect(() => pageSize(101)).toThrow(/first must be an integer from 0 to 100/);
    expect(() => pageSize(2.5)).toThrow(InvalidPageError);
  });

  it('builds a connection from one row more than the page (the next-page probe)', () => {
    const c = toConnection([1, 2, 3], 2, (n) => n * 10, (n) => `c${n}`, 9);
    expect(c).toEqual({ edges: [{ node: 10, cursor: 'c1' }, { node: 20, cursor: 'c2' }], pageInfo: { hasNextPage: true, endCursor: 'c2' }, totalCount: 9 });
  });

  it('takes % and _ in a name filter literally', () => {
    expect(containsPattern('50%_off')).toBe('%50\\%\\_off%');
  });
});
