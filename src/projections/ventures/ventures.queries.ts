import type { Queryable } from '../runtime/queryable';
import { containsPattern, decodeCursor, encodeCursor, pageSize, toKeysetPage, type Connection, type KeysetPage } from '../shared/page';
import { selectList, type Columns } from '../shared/columns';
import { preparedQuery } from '../shared/prepared';

export type VentureStage = 'IDEA' | 'PRE_SEED' | 'SEED' | 'SERIES_A' | 'GROWTH';

/** A venture as the contract's `Venture` shows it (without the fields other read models resolve). */
export interface VentureView {
  readonly id: string;
  readonly name: string;
  readonly sector: string;
  readonly country: string;
  readonly stage: VentureStage;
  readonly description: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The venture stream's revision this row reflects. */
  readonly version: number;
}

export interface VentureFilter {
  readonly sector?: string | null;
  readonly country?: string | null;
  readonly stage?: VentureStage | null;
  /** Case-insensitive, anywhere in the name. */
  readonly nameContains?: string | null;
}

export interface VentureRow {
  id: string;
  name: string;
  sector: string;
  country: string;
  stage: VentureStage;
  description: string | null;
  created_at: string;
  updated_at: string;
  revision: number;
}

/** The columns of a `VentureRow`, over the alias `v`. */
export const VENTURE_FIELDS: Columns = [
  ['id', 'v.id'],
  ['name', 'v.name'],
  ['sector', 'v.sector'],
  ['country', 'v.country'],
  ['stage', 'v.stage'],
  ['description', 'v.description'],
  ['revision', 'v.revision'],
  ['created_at', `to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`],
  ['updated_at', `to_char(v.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`],
];

export const VENTURE_COLUMNS = selectList(VENTURE_FIELDS);

export const toVenture = (r: VentureRow): VentureView => ({
  id: r.id,
  name: r.name,
  sector: r.sector,
  country: r.country,
  stage: r.stage,
  description: r.description,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.revision,
});

/** SQL conditions for a filter, appended to `params` ($n placeholders). Every read is scoped by tenant first. */
export function ventureConditions(tenant: string, filter: VentureFilter | undefined, params: unknown[]): string[] {
  const where: string[] = [];
  const add = (sql: (p: string) => string, value: unknown): void => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  add((p) => `v.tenant = ${p}`, tenant);
  if (filter?.sector != null) add((p) => `v.sector = ${p}`, filter.sector);
  if (filter?.country != null) add((p) => `v.country = ${p}`, filter.country);
  if (filter?.stage != null) add((p) => `v.stage = ${p}`, filter.stage);
  if (filter?.nameContains != null && filter.nameContains !== '') add((p) => `v.name ILIKE ${p}`, containsPattern(filter.nameContains));
  return where;
}

export async function ventureById(db: Queryable, tenant: string, id: string): Promise<VentureView | undefined> {
  return (await venturesByIds(db, tenant, [id])).get(id);
}

/** One query for any number of ids (DataLoader batches). */
export async function venturesByIds(db: Queryable, tenant: string, ids: readonly string[]): Promise<Map<string, VentureView>> {
  if (ids.length === 0) return new Map();
  const res = await preparedQuery<VentureRow>(db, `SELECT ${VENTURE_COLUMNS} FROM rm_ventures v WHERE v.tenant = $1 AND v.id = ANY($2::text[])`, [tenant, [...ids]]);
  return new Map(res.rows.map((r) => [r.id, toVenture(r)]));
}

export interface VenturesPageArgs {
  readonly filter?: VentureFilter;
  readonly first?: number | null;
  readonly after?: string | null;
}

/**
 * Ventures oldest first (created_at, id), keyset-paginated: one index range scan of `first + 1` rows (the
 * tenant's `page` index, or its sector, country or stage index when that filter is set). A cursor stays valid
 * while ventures are added: it names a position in the order, not an offset.
 */
export async function venturesKeysetPage(db: Queryable, tenant: string, args: VenturesPageArgs): Promise<KeysetPage<VentureView>> {
  const { sql, params, first } = venturesPageStatement(tenant, args);
  const page = await preparedQuery<VentureRow>(db, sql, params);
  return venturesPageOf(page.rows, first);
}

/**
 * The SELECT of a keyset page (`first + 1` rows of `VENTURE_FIELDS`) and its parameters, for callers that
 * read more in the same statement (`$1` is the tenant).
 */
export function venturesPageStatement(tenant: string, args: VenturesPageArgs): { sql: string; params: unknown[]; first: number } {
  const first = pageSize(args.first);
  const after = decodeCursor(args.after, ['string', 'string']);
  const params: unknown[] = [];
  const where = ventureConditions(tenant, args.filter, params);
  if (after) {
    params.push(after[0], after[1]);
    where.push(`(v.created_at, v.id) > ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  // The limit is part of the text (an integer 1-101, checked by pageSize), not a parameter: a prepared statement's
  // generic plan guesses a tenth of the rows for `LIMIT $n` and then prefers scanning and sorting them all.
  return { sql: `SELECT ${VENTURE_COLUMNS} FROM rm_ventures v WHERE ${where.join(' AND ')} ORDER BY v.created_at, v.id LIMIT ${first + 1}`, params, first };
}

/** The page of `first + 1` fetched rows (the extra one only says there is a next page). */
export const venturesPageOf = (rows: readonly VentureRow[], first: number): KeysetPage<VentureView> =>
  toKeysetPage(rows, first, toVenture, (r) => encodeCursor([r.created_at, r.id]));

/** How many ventures match the filter (a scan of the tenant's ventures: callers ask only when a client does). */
export async function venturesCount(db: Queryable, tenant: string, filter?: VentureFilter): Promise<number> {
  const params: unknown[] = [];
  const where = ventureConditions(tenant, filter, params);
  const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM rm_ventures v WHERE ${where.join(' AND ')}`, params);
  return count.rows[0]?.n ?? 0;
}

/** A keyset page with the total count of the filter. */
export async function venturesPage(db: Queryable, tenant: string, args: VenturesPageArgs): Promise<Connection<VentureView>> {
  const page = await venturesKeysetPage(db, tenant, args);
  return { ...page, totalCount: await venturesCount(db, tenant, args.filter) };
}
