import type { Queryable } from '../runtime/queryable';
import { EsVentureSearch } from './es-venture-search';
import { PgVentureSearch } from './pg-venture-search';
import type { VentureSearch } from './venture-search';

/** Elasticsearch when a URL is configured, PostgreSQL full-text search otherwise: the same API either way. */
export function createVentureSearch(options: { db: Queryable; elasticsearchUrl?: string; indexPrefix?: string }): VentureSearch {
  if (options.elasticsearchUrl === undefined) return new PgVentureSearch(options.db);
  return new EsVentureSearch(options.elasticsearchUrl, options.indexPrefix);
}
