import type { KeysetPage } from './read-models.port';

/**
 * A keyset page as the contract's connection (edges, pageInfo, totalCount). A `totalCount` given as a function
 * is resolved by GraphQL only when the client selects the field (the default resolver calls it), so a page
 * nobody counts costs no count.
 */
export function connectionOf<T>(page: KeysetPage<T>, totalCount: number | (() => Promise<number>)) {
  const edges = page.items;
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      // Read only when selected: an edge's cursor may be encoded on reading (see toKeysetPage).
      get endCursor() {
        return edges[edges.length - 1]?.cursor ?? null;
      },
    },
    totalCount,
  };
}
