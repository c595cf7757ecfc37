import type { Pool } from 'pg';
import { encodePositionCursor } from './cursor';

/** An event of the log as the contract's AuditEvent: stored data and version, as written (the log is the truth). */
export interface AuditEventView {
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly occurredAt: string;
}

export interface AuditFilter {
  readonly streamId?: string;
  readonly types?: readonly string[];
  readonly actor?: string;
  readonly correlationId?: string;
  readonly from?: string;
  readonly to?: string;
}

export interface AuditPage {
  readonly edges: readonly { readonly node: AuditEventView; readonly cursor: string }[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  /** Resolved only when the client selects it (a count over a large log is not free). */
  readonly totalCount: () => Promise<number>;
}

interface Row {
  position: string;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  occurred_at: Date;
}

const COLUMNS = 'position::text AS position, event_id, stream_id, revision, type, schema_version, data, metadata, occurred_at';

export const toAuditEvent = (row: Row): AuditEventView => ({
  eventId: row.event_id,
  streamId: row.stream_id,
  revision: row.revision,
  position: row.position,
  type: row.type,
  schemaVersion: row.schema_version,
  data: row.data,
  metadata: row.metadata,
  occurredAt: row.occurred_at.toISOString(),
});

/** WHERE clauses of a tenant's filtered log; `params` grows as clauses are added. */
function whereOf(tenant: string, filter: AuditFilter, params: unknown[]): string[] {
  const add = (sql: (n: number) => string, value: unknown): string => {
    params.push(value);
    return sql(params.length);
  };
  const where = [add((n) => `metadata->>'tenant' = $${n}`, tenant)];
  if (filter.streamId !== undefined) where.push(add((n) => `stream_id = $${n}`, filter.streamId));
  // One type as a plain equality: the (type, position) index then yields rows in log order.
  if (filter.types?.length === 1) where.push(add((n) => `type = $${n}`, filter.types?.[0]));
  else if (filter.types !== undefined) where.push(add((n) => `type = ANY($${n}::text[])`, filter.types));
  if (filter.actor !== undefined) where.push(add((n) => `metadata->>'actor' = $${n}`, filter.actor));
  if (filter.correlationId !== undefined) where.push(add((n) => `metadata->>'correlationId' = $${n}`, filter.correlationId));
  if (filter.from !== undefined) where.push(add((n) => `occurred_at >= $${n}`, filter.from));
  // The API shows instants to the millisecond, the log keeps microseconds: `to` covers its whole millisecond.
  if (filter.to !== undefined) where.push(add((n) => `occurred_at < $${n}::timestamptz + interval '1 millisecond'`, filter.to));
  return where;
}

/** One page of a tenant's log, oldest first, keyset-paged by position (a cursor stays valid as the log grows). */
export async function auditPage(pool: Pool, tenant: string, filter: AuditFilter, first: number, after: string | undefined): Promise<AuditPage> {
  const params: unknown[] = [];
  const where = whereOf(tenant, filter, params);
  const countWhere = [...where];
  const countParams = [...params];
  if (after !== undefined) {
    params.push(after);
    where.push(`position > $${params.length}::bigint`);
  }
  params.push(first + 1);
  const res = await pool.query<Row>(`SELECT ${COLUMNS} FROM es_events WHERE ${where.join(' AND ')} ORDER BY es_events.position LIMIT $${params.length}`, params);
  const rows = res.rows.slice(0, first);
  const edges = rows.map((row) => ({ node: toAuditEvent(row), cursor: encodePositionCursor(row.position) }));
  return {
    edges,
    pageInfo: { hasNextPage: res.rows.length > first, endCursor: edges[edges.length - 1]?.cursor ?? null },
    totalCount: async () => {
      const count = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM es_events WHERE ${countWhere.join(' AND ')}`, countParams);
      return Number(count.rows[0]?.n ?? 0);
    },
  };
}

export interface HistoryRequest {
  readonly streamId: string;
  readonly first: number;
  readonly after: string | undefined;
  /** Only events that occurred at or before this instant (a venture as of). */
  readonly asOf: string | undefined;
}

/**
 * The first events of many streams of one tenant in one statement (DataLoader batch): per stream, events after
 * the cursor, oldest first, `first + 1` of them so the caller knows whether there is a next page.
 */
export async function historyBatch(pool: Pool, tenant: string, requests: readonly HistoryRequest[]): Promise<Map<string, AuditEventView[]>> {
  const groups = new Map<string, HistoryRequest[]>();
  for (const r of requests) {
    const key = JSON.stringify([r.first, r.after ?? null, r.asOf ?? null]);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [r]);
    else group.push(r);
  }
  const found = new Map<string, AuditEventView[]>();
  for (const group of groups.values()) {
    const [{ first, after, asOf }] = group as [HistoryRequest];
    const res = await pool.query<Row & { rn: string }>(
      `SELECT * FROM (
         SELECT ${COLUMNS}, row_number() OVER (PARTITION BY stream_id ORDER BY revision) AS rn
         FROM es_events
         WHERE stream_id = ANY($1::text[]) AND metadata->>'tenant' = $2 AND position > $3::bigint
           AND ($4::timestamptz IS NULL OR occurred_at < $4::timestamptz + interval '1 millisecond')
       ) e WHERE rn <= $5 ORDER BY stream_id, revision`,
      [group.map((r) => r.streamId), tenant, after ?? '0', asOf ?? null, first + 1],
    );
    for (const row of res.rows) {
      const key = historyKey({ streamId: row.stream_id, first, after, asOf });
      const list = found.get(key);
      if (list === undefined) found.set(key, [toAuditEvent(row)]);
      else list.push(toAuditEvent(row));
    }
  }
  return found;
}

export const historyKey = (r: HistoryRequest): string => JSON.stringify([r.streamId, r.first, r.after ?? null, r.asOf ?? null]);

/** How many events each stream had (at or before `asOf`), for `history.totalCount`. */
export async function streamLengths(pool: Pool, tenant: string, streamIds: readonly string[], asOf: string | undefined): Promise<Map<string, number>> {
  const res = await pool.query<{ stream_id: string; n: string }>(
    `SELECT stream_id, count(*)::text AS n FROM es_events
     WHERE stream_id = ANY($1::text[]) AND metadata->>'tenant' = $2 AND ($3::timestamptz IS NULL OR occurred_at < $3::timestamptz + interval '1 millisecond')
     GROUP BY stream_id`,
    [streamIds, tenant, asOf ?? null],
  );
  return new Map(res.rows.map((r) => [r.stream_id, Number(r.n)]));
}
