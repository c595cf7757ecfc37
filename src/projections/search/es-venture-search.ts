import { Client } from '@elastic/elasticsearch';
import type { QueryDslQueryContainer, SortResults } from '@elastic/elasticsearch/lib/api/types';
import { decodeCursor, encodeCursor, pageSize, toConnection, type Connection } from '../shared/page';
import { toVenture, type VentureFilter, type VentureRow, type VentureView } from '../ventures/ventures.queries';
import { ventureSearchIndex } from './venture-search.projection';
import { MAX_SEARCH_TEXT, type SearchArgs, type VentureSearch } from './venture-search';

const escapeWildcard = (text: string): string => text.replace(/[\\*?]/g, (c) => `\\${c}`);

function filters(tenant: string, filter: VentureFilter | undefined): QueryDslQueryContainer[] {
  const out: QueryDslQueryContainer[] = [{ term: { tenant } }];
  if (filter?.sector != null) out.push({ term: { 'sector.raw': filter.sector } });
  if (filter?.country != null) out.push({ term: { 'country.raw': filter.country } });
  if (filter?.stage != null) out.push({ term: { 'stage.raw': filter.stage } });
  if (filter?.nameContains != null && filter.nameContains !== '') {
    out.push({ wildcard: { 'name.raw': { value: `*${escapeWildcard(filter.nameContains)}*`, case_insensitive: true } } });
  }
  return out;
}

/**
 * Search on the Elasticsearch venture index (alias `ventures`): fuzzy matching on every field (typos within
 * the usual edit distance), prefixes of the name and description, filters as the ventures list has them.
 * Best match first, then id; cursors are `search_after` values (score, id).
 */
export class EsVentureSearch implements VentureSearch {
  readonly engine = 'elasticsearch' as const;
  private readonly client: Client;
  private readonly alias: string;

  constructor(url: string, indexPrefix = '') {
    this.client = new Client({ node: url, requestTimeout: 10_000 });
    this.alias = `${indexPrefix}${ventureSearchIndex.alias}`;
  }

  async search(tenant: string, text: string, args: SearchArgs = {}): Promise<Connection<VentureView>> {
    const first = pageSize(args.first);
    const after = decodeCursor(args.after, ['number', 'string']);
    const query = text.slice(0, MAX_SEARCH_TEXT).trim();
    const fields = ['name^3', 'sector^2', 'country^2', 'stage^2', 'description'];
    const must: QueryDslQueryContainer[] =
      query === ''
        ? [{ match_all: {} }]
        : [
            {
              bool: {
                should: [
                  { multi_match: { query, fields, fuzziness: 'AUTO', operator: 'and' } },
                  { multi_match: { query, fields: ['name^3', 'description'], type: 'phrase_prefix' } },
                ],
                minimum_should_match: 1,
              },
            },
          ];
    const res = await this.client.search<VentureRow>({
      index: this.alias,
      query: { bool: { must, filter: filters(tenant, args.filter) } },
      sort: [{ _score: { order: 'desc' } }, { id: { order: 'asc' } }],
      size: first + 1,
      track_total_hits: true,
      ...(after && { search_after: after as SortResults }),
    });
    const hits = res.hits.hits.filter((h) => h._source !== undefined);
    const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
    return toConnection(
      hits,
      first,
      (h) => toVenture(h._source as VentureRow),
      (h) => encodeCursor([Number(h.sort?.[0] ?? 0), String(h.sort?.[1] ?? h._id)]),
      total,
    );
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
