import { formatAmount, parseAmount } from '../../shared/money';
import type { SchemaRegistry } from '../../shared/schemas/schema-registry';
import type { StoredEvent } from '../../write-model/event-store/event-store.port';
import { capitalProjection } from '../capital/capital.projection';
import type { CapitalDashboard } from '../capital/capital.queries';
import { gedsiProjection } from '../gedsi/gedsi.projection';
import type { DashboardFilter, GedsiDashboard, GroupBreakdown, MetricSummary } from '../gedsi/gedsi.queries';
import { projectInMemory, rowsOf } from '../runtime/fold';
import type { PgProjection, Row } from '../runtime/projection';
import type { Queryable } from '../runtime/queryable';

interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: StoredEvent['metadata'];
  occurred_at: Date;
}

const PAGE = 10_000;

/** The tenant's events of the given types that occurred at or before `asOf`, in log order (via the audit index). */
async function eventsUntil(db: Queryable, tenant: string, asOf: string, types: readonly string[], schemas: SchemaRegistry): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (let after = '0'; ; ) {
    const res = await db.query<EventRow>(
      `SELECT e.position::text AS position, e.event_id, e.stream_id, e.revision, e.type, e.schema_version, e.data, e.metadata, e.occurred_at
       FROM rm_audit_events a JOIN es_events e ON e.position = a.position
       WHERE a.tenant = $1 AND a.occurred_at <= $2::timestamptz AND a.type = ANY($3::text[]) AND a.position > $4::bigint
       ORDER BY a.position LIMIT ${PAGE}`,
      [tenant, asOf, [...types], after],
    );
    for (const r of res.rows) {
      const stored: StoredEvent = {
        eventId: r.event_id,
        type: r.type,
        schemaVersion: r.schema_version,
        streamId: r.stream_id,
        revision: r.revision,
        position: r.position,
        occurredAt: r.occurred_at.toISOString(),
        data: r.data,
        metadata: r.metadata,
      };
      out.push(schemas.upcast(stored));
    }
    if (res.rows.length < PAGE) return out;
    after = res.rows[res.rows.length - 1]?.position ?? after;
  }
}

/** The projection's documents as they stood at `asOf`: its own pure evolve folded over the history. */
async function replay(db: Queryable, tenant: string, asOf: string, projection: PgProjection, schemas: SchemaRegistry): Promise<Row[][]> {
  const docs = projectInMemory(projection.views, await eventsUntil(db, tenant, asOf, projection.canHandle, schemas));
  return projection.views.map((_, v) => rowsOf(docs, v));
}

const matches = (facets: Row, filter: DashboardFilter): boolean =>
  (filter.sector == null || facets['sector'] === filter.sector) &&
  (filter.country == null || facets['country'] === filter.country) &&
  (filter.stage == null || facets['stage'] === filter.stage);

function summarize(latest: readonly Row[]): MetricSummary[] {
  const byMetric = new Map<string, Row[]>();
  for (const r of latest) byMetric.set(String(r['metric_id']), [...(byMetric.get(String(r['metric_id'])) ?? []), r]);
  return [...byMetric.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([metricId, rows]) => {
      const values = rows.map((r) => Number(r['value']));
      return {
        metricId,
        unit: rows.map((r) => String(r['unit'])).sort()[0] ?? '',
        ventures: rows.length,
        average: values.reduce((a, b) => a + b, 0) / values.length,
        min: Math.min(...values),
        max: Math.max(...values),
        verifiedShare: rows.filter((r) => r['verified'] === true).length / rows.length,
      };
    });
}

/** The GEDSI dashboard from the rows of its read model (what the SQL of `gedsiDashboard` computes). */
export function gedsiDashboardOf(latest: readonly Row[], facets: readonly Row[], filter: DashboardFilter): GedsiDashboard {
  const ventures = facets.filter((f) => matches(f, filter));
  const facetOf = new Map(ventures.map((f) => [String(f['venture_id']), f]));
  const reported = latest.filter((m) => facetOf.has(String(m['venture_id'])));
  const groups = (column: 'sector' | 'country'): GroupBreakdown[] =>
    [...new Set(ventures.map((f) => String(f[column])))].sort().map((key) => ({
      key,
      ventures: ventures.filter((f) => f[column] === key).length,
      metrics: summarize(reported.filter((m) => facetOf.get(String(m['venture_id']))?.[column] === key)),
    }));
  return { ventures: ventures.length, metrics: summarize(reported), bySector: groups('sector'), byCountry: groups('country') };
}

/** The capital dashboard from the rows of its read model (what the SQL of `capitalDashboard` computes). */
export function capitalDashboardOf(requests: readonly Row[], facets: readonly Row[], filter: DashboardFilter): CapitalDashboard {
  const filtered = filter.sector == null && filter.country == null && filter.stage == null;
  const facetOf = new Map(facets.map((f) => [String(f['venture_id']), f]));
  const selected = requests.filter((r) => {
    const f = facetOf.get(String(r['venture_id']));
    return filtered || (f !== undefined && matches(f, filter));
  });
  const statuses = [...new Set(selected.map((r) => String(r['status'])))].sort();
  const currencies = [...new Set(selected.map((r) => String(r['currency'])))].sort();
  const sum = (currency: string, column: string): bigint =>
    selected.filter((r) => r['currency'] === currency).reduce((total, r) => total + parseAmount(String(r[column]), currency), 0n);
  return {
    requests: selected.length,
    byStatus: statuses.map((status) => ({ status, count: selected.filter((r) => r['status'] === status).length })),
    totals: currencies.map((currency) => ({
      currency,
      requested: formatAmount(sum(currency, 'requested'), currency),
      committed: formatAmount(sum(currency, 'committed'), currency),
      captured: formatAmount(sum(currency, 'captured') - sum(currency, 'refunded'), currency),
      disbursed: formatAmount(sum(currency, 'disbursed'), currency),
    })),
  };
}

/** `gedsiDashboard(filter: { asOf })`: replayed from the event history up to that instant. */
export async function gedsiDashboardAsOf(db: Queryable, tenant: string, filter: DashboardFilter, asOf: string, schemas: SchemaRegistry): Promise<GedsiDashboard> {
  const [, latest, facets] = await replay(db, tenant, asOf, gedsiProjection, schemas);
  return gedsiDashboardOf(latest ?? [], facets ?? [], filter);
}

/** `capitalDashboard(filter: { asOf })`: replayed from the event history up to that instant. */
export async function capitalDashboardAsOf(db: Queryable, tenant: string, filter: DashboardFilter, asOf: string, schemas: SchemaRegistry): Promise<CapitalDashboard> {
  const [requests, facets] = await replay(db, tenant, asOf, capitalProjection, schemas);
  return capitalDashboardOf(requests ?? [], facets ?? [], filter);
}
