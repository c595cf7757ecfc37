import type { Queryable } from '../runtime/queryable';
import { decodeCursor, encodeCursor, InvalidPageError, pageSize, toConnection } from '../shared/page';

/** The contract's AuditFilter; `from`/`to` are ISO instants (inclusive). */
export interface AuditFilter {
  readonly streamId?: string | null;
  readonly types?: readonly string[] | null;
  readonly actor?: string | null;
  readonly correlationId?: string | null;
  readonly from?: string | null;
  readonly to?: string | null;
}

/** An event of the log as stored (not upcast: the audit trail shows what was written). */
export interface AuditEventView {
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly occurredAt: string;
}

export interface AuditConnection {
  readonly edges: readonly { readonly node: AuditEventView; readonly cursor: string }[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  /** Null when more than COUNT_LIMIT events match (counting them all would cost more than the page). */
  readonly totalCount: number | null;
}

interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  occurred_at: Date;
}

const COUNT_LIMIT = 100_000;
const MAX_AUDIT_PAGE = 1000;

const instant = (value: string, field: string): string => {
  if (Number.isNaN(Date.parse(value))) throw new InvalidPageError('after', `${field} is not an ISO-8601 instant`);
  return value;
};

/**
 * The log of one tenant, oldest first, filtered through the audit index (tenant, stream, type, actor,
 * correlation, time) and read from the log itself by position. A venture's history is the filter
 * `streamId: venture-<id>`.
 */
export async function auditTrail(
  db: Queryable,
  tenant: string,
  args: { filter?: AuditFilter; first?: number | null; after?: string | null },
): Promise<AuditConnection> {
  const first = pageSize(args.first, 100, MAX_AUDIT_PAGE);
  const after = decodeCursor(args.after, ['string']);
  const f = args.filter ?? {};
  const params: unknown[] = [tenant];
  const where = ['a.tenant = $1'];
  const add = (sql: (p: string) => string, value: unknown): void => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (f.streamId != null) add((p) => `a.stream_id = ${p}`, f.streamId);
  if (f.types != null && f.types.length > 0) add((p) => `a.type = ANY(${p}::text[])`, [...f.types]);
  if (f.actor != null) add((p) => `a.actor = ${p}`, f.actor);
  if (f.correlationId != null) add((p) => `a.correlation_id = ${p}`, f.correlationId);
  if (f.from != null) add((p) => `a.occurred_at >= ${p}::timestamptz`, instant(f.from, 'from'));
  if (f.to != null) add((p) => `a.occurred_at <= ${p}::timestamptz`, instant(f.to, 'to'));
  const countParams = [...params];
  const countWhere = where.join(' AND ');
  if (after) {
    if (!/^[0-9]{1,19}$/.test(String(after[0]))) throw new InvalidPageError('after', 'after is not a cursor of this list');
    add((p) => `a.position > ${p}::bigint`, after[0]);
  }
  params.push(first + 1);
  const page = await db.query<EventRow>(
    `SELECT e.position::text AS position, e.event_id, e.stream_id, e.revision, e.type, e.schema_version, e.data, e.metadata, e.occurred_at
     FROM rm_audit_events a JOIN es_events e ON e.position = a.position
     WHERE ${where.join(' AND ')} ORDER BY a.position LIMIT $${params.length}`,
    params,
  );
  const count = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM rm_audit_events a WHERE ${countWhere} LIMIT ${COUNT_LIMIT + 1}) s`,
    countParams,
  );
  const n = count.rows[0]?.n ?? 0;
  const toView = (r: EventRow): AuditEventView => ({
    eventId: r.event_id,
    streamId: r.stream_id,
    revision: r.revision,
    position: r.position,
    type: r.type,
    schemaVersion: r.schema_version,
    data: r.data,
    metadata: r.metadata,
    occurredAt: r.occurred_at.toISOString(),
  });
  const connection = toConnection(page.rows, first, toView, (r) => encodeCursor([r.position]), 0);
  return { ...connection, totalCount: n > COUNT_LIMIT ? null : n };
}
