import { REQUEST_FIELDS, toRequest, type CapitalRequestView, type RequestRow } from '../projections/capital/capital.queries';
import { METRIC_FIELDS, toMetric, type GedsiMetricView, type MetricRow } from '../projections/gedsi/gedsi.queries';
import type { Queryable } from '../projections/runtime/queryable';
import { rowOf, type Columns } from '../projections/shared/columns';
import type { KeysetPage } from '../projections/shared/page';
import { preparedQuery } from '../projections/shared/prepared';
import type { NestedSelection } from './read-models.port';
import { venturesKeysetPage, venturesPageOf, venturesPageStatement, type VenturesPageArgs, type VentureRow, type VentureView } from '../projections/ventures/ventures.queries';

export interface PageWithNested {
  readonly page: KeysetPage<VentureView>;
  /** Each venture's latest metrics (every venture of the page has an entry), when selected. */
  readonly metrics?: ReadonlyMap<string, readonly GedsiMetricView[]>;
  /** Each venture's capital requests, oldest first, when selected. */
  readonly capitalRequests?: ReadonlyMap<string, readonly CapitalRequestView[]>;
}

/**
 * A page of ventures with the nested lists the client selected, in ONE statement: each page row carries its
 * latest metrics and its capital requests as JSON arrays of column arrays (correlated look-ups on the same
 * indexes as `latestGedsiMetrics` and `capitalRequestsByVentureIds`, in the same orders, from one snapshot).
 * Three read models, one round trip; the client parses the nested rows with `JSON.parse` instead of row by row.
 */
export async function venturesPageWithNested(db: Queryable, tenant: string, args: VenturesPageArgs, nested: NestedSelection): Promise<PageWithNested> {
  if (!nested.metrics && !nested.capitalRequests) return { page: await venturesKeysetPage(db, tenant, args) };
  const { sql: pageSql, params, first } = venturesPageStatement(tenant, args);
  const lists: string[] = [];
  if (nested.metrics) lists.push(`(SELECT json_agg(json_build_array(${sqlOf(METRIC_FIELDS)}) ORDER BY m.metric_id) FROM rm_gedsi_latest m WHERE m.tenant = $1 AND m.venture_id = v.id) AS metrics`);
  if (nested.capitalRequests) lists.push(`(SELECT json_agg(json_build_array(${sqlOf(REQUEST_FIELDS)}) ORDER BY c.requested_at, c.id) FROM rm_capital_requests c WHERE c.tenant = $1 AND c.venture_id = v.id) AS capital_requests`);
  const sql = `SELECT v.*, ${lists.join(', ')} FROM (${pageSql}) v ORDER BY v.created_at COLLATE "C", v.id`;
  const result = await preparedQuery<VentureRow & { metrics?: unknown[][] | null; capital_requests?: unknown[][] | null }>(db, sql, params);
  const metrics = nested.metrics ? new Map<string, GedsiMetricView[]>() : undefined;
  const requests = nested.capitalRequests ? new Map<string, CapitalRequestView[]>() : undefined;
  // The row past `first` only tells that there is a next page: its lists are not the page's.
  for (const row of result.rows.slice(0, first)) {
    metrics?.set(row.id, (row.metrics ?? []).map((values) => toMetric(rowOf<MetricRow>(values, METRIC_FIELDS))));
    requests?.set(row.id, (row.capital_requests ?? []).map((values) => toRequest(rowOf<RequestRow>(values, REQUEST_FIELDS))));
  }
  return { page: venturesPageOf(result.rows, first), ...(metrics && { metrics }), ...(requests && { capitalRequests: requests }) };
}

const sqlOf = (columns: Columns): string => columns.map(([, sql]) => sql).join(', ');
