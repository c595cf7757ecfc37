/** One page of a keyset-paged list (edges and pageInfo of the contract's connection). */
export interface KeysetPage<T> {
  readonly edges: readonly { readonly node: T; readonly cursor: string }[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
}

/** The contract's connection shape (edges, pageInfo, totalCount). */
export interface Connection<T> extends KeysetPage<T> {
  readonly totalCount: number;
}

/** A cursor or a page size the caller sent is not one we can use (the API answers BAD_USER_INPUT). */
export class InvalidPageError extends Error {
  constructor(
    readonly field: 'first' | 'after',
    message: string,
  ) {
    super(message);
    this.name = 'InvalidPageError';
  }
}

export const MAX_PAGE_SIZE = 100;

export function pageSize(first: number | undefined | null, fallback = 20, max = MAX_PAGE_SIZE): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > max) throw new InvalidPageError('first', `first must be an integer from 0 to ${max}, got ${String(first)}`);
  return n;
}

/** Opaque keyset cursors: base64url of a JSON array of the sort key's values. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined | null, shape: readonly ('string' | 'number')[]): (string | number)[] | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  let values: unknown;
  try {
    values = cursor.length <= 1000 ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    values = undefined;
  }
  if (!Array.isArray(values) || values.length !== shape.length || !values.every((v, i) => typeof v === shape[i])) {
    throw new InvalidPageError('after', 'after is not a cursor of this list');
  }
  return values as (string | number)[];
}

/** Builds a connection from `first + 1` fetched rows (the extra one only says there is a next page). */
export function toConnection<R, T>(rows: readonly R[], first: number, node: (row: R) => T, cursorOf: (row: R) => string, totalCount: number): Connection<T> {
  return { ...toKeysetPage(rows, first, node, cursorOf), totalCount };
}

/**
 * A page from `first + 1` fetched rows, without the total count. Cursors are encoded when read (getters), so a
 * client that selects no cursor costs no encoding; the values are the same whenever they are read.
 */
export function toKeysetPage<R, T>(rows: readonly R[], first: number, node: (row: R) => T, cursorOf: (row: R) => string): KeysetPage<T> {
  const edges = rows.slice(0, first).map((row) => ({
    node: node(row),
    get cursor() {
      return cursorOf(row);
    },
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      get endCursor() {
        return edges[edges.length - 1]?.cursor ?? null;
      },
    },
  };
}

/** A LIKE pattern matching the text anywhere, with the caller's % and _ taken literally. */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
