import type { KeysetPage } from './read-models.port';

/**
 * A keyset page as the contract's connection (edges, pageInfo, totalCount). A `totalCount` given as a function
 * is resolved by GraphQL only when the client selects the field (the default resolver calls it), so a page
 * nobody counts costs no count.
 */
export function connectionOf<T>(page: KeysetPage<T>, totalCount: number | (() => Promise<number>)) {
  const edges = page.items.map(({ node, cursor }) => ({ node, cursor }));
  return {
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges[edges.length - 1]?.cursor ?? null },
    totalCount,
  };
}
