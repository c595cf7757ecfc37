import type { Page } from './read-models.port';

/** A keyset page as the contract's connection (edges, pageInfo, totalCount). */
export function connectionOf<T>(page: Page<T>) {
  const edges = page.items.map(({ node, cursor }) => ({ node, cursor }));
  return {
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges[edges.length - 1]?.cursor ?? null },
    totalCount: page.totalCount,
  };
}
