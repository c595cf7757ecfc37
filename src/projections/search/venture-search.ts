import type { Connection } from '../shared/page';
import type { VentureFilter, VentureView } from '../ventures/ventures.queries';

export interface SearchArgs {
  readonly filter?: VentureFilter;
  readonly first?: number | null;
  readonly after?: string | null;
}

/**
 * Full-text search over a tenant's ventures (name, description, sector, country, stage), best match first.
 * Elasticsearch when ELASTICSEARCH_URL is set (fuzzy matching), PostgreSQL full-text search otherwise, with
 * the same arguments and result.
 */
export interface VentureSearch {
  readonly engine: 'elasticsearch' | 'postgresql';
  search(tenant: string, text: string, args?: SearchArgs): Promise<Connection<VentureView>>;
  close(): Promise<void>;
}

export const MAX_SEARCH_TEXT = 200;

/** Lower-cased words of letters and digits (what both engines match on), at most 10. */
export function searchWords(text: string): string[] {
  return (text.slice(0, MAX_SEARCH_TEXT).toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 10);
}
