import { requestsOfJoinedViews, type CapitalRequestView } from '../projections/capital/capital.queries';
import { metricsOfJoinedViews, type GedsiMetricView } from '../projections/gedsi/gedsi.queries';
import type { Queryable } from '../projections/runtime/queryable';
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
 * latest metrics and its capital requests as the comma-joined `view` texts their projections wrote with each
 * row (the contract's objects as compact JSON arrays), looked up on the same indexes and in the same orders as
 * `latestGedsiMetrics` and `capitalRequestsByVentureIds`, from one snapshot. Three read models, one round trip;
 * PostgreSQL builds no JSON and the client turns each list into its objects with one `JSON.parse`.
 */
export async function venturesPageWithNested(db: Queryable, tenant: string, args: VenturesPageArgs, nested: NestedSelection): Promise<PageWithNested> {
  if (!nested.metrics && !nested.capitalRequests) return { page: await venturesKeysetPage(db, tenant, args) };
  const { sql: pageSql, params, first } = venturesPageStatement(tenant, args);
  const lists: string[] = [];
  if (nested.metrics) lists.push(`(SELECT string_agg(m.view, ',' ORDER BY m.metric_id) FROM rm_gedsi_latest m WHERE m.tenant = $1 AND m.venture_id = v.id) AS metrics`);
  if (nested.capitalRequests) lists.push(`(SELECT string_agg(c.view, ',' ORDER BY c.requested_at, c.id) FROM rm_capital_requests c WHERE c.tenant = $1 AND c.venture_id = v.id) AS capital_requests`);
  const sql = `SELECT v.*, ${lists.join(', ')} FROM (${pageSql}) v ORDER BY v.created_at COLLATE "C", v.id`;
  const result = await preparedQuery<VentureRow & { metrics?: string | null; capital_requests?: string | null }>(db, sql, params);
  const metrics = nested.metrics ? new Map<string, GedsiMetricView[]>() : undefined;
  const requests = nested.capitalRequests ? new Map<string, CapitalRequestView[]>() : undefined;
  // The row past `first` only tells that there is a next page: its lists are not the page's.
  const rows = result.rows.length > first ? result.rows.slice(0, first) : result.rows;
  for (const row of rows) {
    metrics?.set(row.id, metricsOfJoinedViews(row.metrics));
    requests?.set(row.id, requestsOfJoinedViews(row.capital_requests));
  }
  return { page: venturesPageOf(result.rows, first), ...(metrics && { metrics }), ...(requests && { capitalRequests: requests }) };
}
