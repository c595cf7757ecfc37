import type { Queryable } from '../runtime/queryable';
import { containsPattern, decodeCursor, encodeCursor, pageSize, toConnection, type Connection } from '../shared/page';
import { toVenture, VENTURE_COLUMNS, ventureConditions, type VentureRow, type VentureView } from '../ventures/ventures.queries';
import { searchWords, type SearchArgs, type VentureSearch } from './venture-search';

/**
 * Search without Elasticsearch: PostgreSQL full-text search on the ventures read model (every word a prefix,
 * weighted name > sector/country/stage > description), plus the whole text anywhere in the name. Ordered by
 * rank, then id; keyset cursors over (rank, id).
 */
export class PgVentureSearch implements VentureSearch {
  readonly engine = 'postgresql' as const;

  constructor(private readonly db: Queryable) {}

  async search(tenant: string, text: string, args: SearchArgs = {}): Promise<Connection<VentureView>> {
    const first = pageSize(args.first);
    const after = decodeCursor(args.after, ['number', 'string']);
    const words = searchWords(text);
    const params: unknown[] = [];
    const where = ventureConditions(tenant, args.filter, params);
    params.push(words.map((w) => `${w}:*`).join(' & '), containsPattern(text.trim()));
    const [query, pattern] = [`$${params.length - 1}`, `$${params.length}`];
    where.push(words.length > 0 ? `(v.search @@ to_tsquery('simple', ${query}) OR v.name ILIKE ${pattern})` : `v.name ILIKE ${pattern}`);
    const matches = `SELECT ${VENTURE_COLUMNS}, ts_rank(v.search, to_tsquery('simple', ${query}))::float8 AS rank
      FROM rm_ventures v WHERE ${where.join(' AND ')}`;
    const countParams = [...params];
    let keyset = '';
    if (after) {
      params.push(after[0], after[1]);
      keyset = `WHERE (m.rank < $${params.length - 1} OR (m.rank = $${params.length - 1} AND m.id > $${params.length}))`;
    }
    params.push(first + 1);
    const page = await this.db.query<VentureRow & { rank: number }>(
      `SELECT * FROM (${matches}) m ${keyset} ORDER BY m.rank DESC, m.id LIMIT $${params.length}`,
      params,
    );
    const count = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${matches}) m`, countParams);
    return toConnection(page.rows, first, toVenture, (r) => encodeCursor([r.rank, r.id]), count.rows[0]?.n ?? 0);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
