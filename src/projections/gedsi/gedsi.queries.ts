import type { Queryable } from '../runtime/queryable';
import { parseJoined, selectList, type Columns } from '../shared/columns';
import { preparedQuery } from '../shared/prepared';
import type { VentureStage } from '../ventures/ventures.queries';

/** The contract's GEDSIMetric. */
export interface GedsiMetricView {
  readonly metricId: string;
  readonly value: number;
  readonly unit: string;
  readonly period: string;
  readonly verified: boolean;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export interface MetricRow {
  venture_id: string;
  metric_id: string;
  value: number;
  unit: string;
  period: string;
  verified: boolean;
  updated_at: string;
  updated_by: string;
}

/** The columns of a `MetricRow`, over the alias `m`. */
const METRIC_FIELDS: Columns = [
  ['venture_id', 'm.venture_id'],
  ['metric_id', 'm.metric_id'],
  ['value', 'm.value'],
  ['unit', 'm.unit'],
  ['period', 'm.period'],
  ['verified', 'm.verified'],
  ['updated_by', 'm.updated_by'],
  ['updated_at', `to_char(m.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`],
];

const METRIC_COLUMNS = selectList(METRIC_FIELDS);

export const toMetric = (r: MetricRow): GedsiMetricView => ({
  metricId: r.metric_id,
  value: r.value,
  unit: r.unit,
  period: r.period,
  verified: r.verified,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

/** A GEDSIMetric as the fields of its `view` text, in this order (a JSON array parses about twice as fast as an object). */
type MetricViewFields = readonly [metricId: string, value: number, unit: string, period: string, verified: boolean, updatedAt: string, updatedBy: string];

/** The `view` text a latest row carries: its GEDSIMetric, as `metricOfView` reads it back. */
export const metricViewText = (m: GedsiMetricView): string =>
  JSON.stringify([m.metricId, m.value, m.unit, m.period, m.verified, m.updatedAt, m.updatedBy] satisfies MetricViewFields);

/** The GEDSIMetric of one parsed `view` text. */
export const metricOfView = (f: MetricViewFields): GedsiMetricView => ({ metricId: f[0], value: f[1], unit: f[2], period: f[3], verified: f[4], updatedAt: f[5], updatedBy: f[6] });

/** The GEDSIMetrics of comma-joined `view` texts (SQL `string_agg(view, ',')`; NULL: none). */
export const metricsOfJoinedViews = (joined: string | null | undefined): GedsiMetricView[] =>
  parseJoined<MetricViewFields>(joined).map(metricOfView);

function groupByVenture(ids: readonly string[], rows: readonly MetricRow[]): Map<string, GedsiMetricView[]> {
  const out = new Map<string, GedsiMetricView[]>(ids.map((id) => [id, []]));
  for (const r of rows) out.get(r.venture_id)?.push(toMetric(r));
  return out;
}

/** The latest period of every metric of each venture (one query for any number of ventures), by metric id. */
export async function latestGedsiMetrics(db: Queryable, tenant: string, ventureIds: readonly string[]): Promise<Map<string, GedsiMetricView[]>> {
  if (ventureIds.length === 0) return new Map();
  const res = await preparedQuery<MetricRow>(
    db,
    `SELECT ${METRIC_COLUMNS} FROM rm_gedsi_latest m WHERE m.tenant = $1 AND m.venture_id = ANY($2::text[]) ORDER BY m.venture_id, m.metric_id`,
    [tenant, [...ventureIds]],
  );
  return groupByVenture(ventureIds, res.rows);
}

/** Every recorded period of each venture's metrics, oldest period first (optionally one metric only). */
export async function gedsiMetricHistory(
  db: Queryable,
  tenant: string,
  ventureIds: readonly string[],
  metricId?: string,
): Promise<Map<string, GedsiMetricView[]>> {
  if (ventureIds.length === 0) return new Map();
  const res = await db.query<MetricRow>(
    `SELECT ${METRIC_COLUMNS} FROM rm_gedsi_metrics m WHERE m.tenant = $1 AND m.venture_id = ANY($2::text[]) AND ($3::text IS NULL OR m.metric_id = $3)
     ORDER BY m.venture_id, m.metric_id, m.period_order`,
    [tenant, [...ventureIds], metricId ?? null],
  );
  return groupByVenture(ventureIds, res.rows);
}

export interface DashboardFilter {
  readonly sector?: string | null;
  readonly country?: string | null;
  readonly stage?: VentureStage | null;
}

/** The contract's GEDSIMetricSummary. */
export interface MetricSummary {
  readonly metricId: string;
  readonly unit: string;
  readonly ventures: number;
  readonly average: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly verifiedShare: number;
}

export interface GroupBreakdown {
  readonly key: string;
  readonly ventures: number;
  readonly metrics: MetricSummary[];
}

export interface GedsiDashboard {
  readonly ventures: number;
  readonly metrics: MetricSummary[];
  readonly bySector: GroupBreakdown[];
  readonly byCountry: GroupBreakdown[];
}

interface SummaryRow {
  grp: string | null;
  metric_id: string;
  unit: string;
  ventures: number;
  average: number | null;
  min: number | null;
  max: number | null;
  verified_share: number;
}

const toSummary = (r: SummaryRow): MetricSummary => ({
  metricId: r.metric_id,
  unit: r.unit,
  ventures: r.ventures,
  average: r.average,
  min: r.min,
  max: r.max,
  verifiedShare: r.verified_share,
});

/**
 * Aggregates over the latest period of each venture's metrics, for the ventures matching the filter: all,
 * by sector and by country. One statement with GROUPING SETS over tables of one generation (the facets live
 * in the GEDSI read model itself, so the figures are consistent with each other).
 */
export async function gedsiDashboard(db: Queryable, tenant: string, filter: DashboardFilter = {}): Promise<GedsiDashboard> {
  const params = [tenant, filter.sector ?? null, filter.country ?? null, filter.stage ?? null];
  const ventures = `SELECT venture_id, sector, country FROM rm_gedsi_ventures
    WHERE tenant = $1 AND ($2::text IS NULL OR sector = $2) AND ($3::text IS NULL OR country = $3) AND ($4::text IS NULL OR stage = $4)`;
  const summaries = await db.query<SummaryRow & { by: 'all' | 'sector' | 'country' }>(
    `WITH v AS (${ventures})
     SELECT CASE WHEN GROUPING(v.sector) = 0 THEN 'sector' WHEN GROUPING(v.country) = 0 THEN 'country' ELSE 'all' END AS by,
            coalesce(v.sector, v.country) AS grp, m.metric_id, min(m.unit) AS unit, count(*)::int AS ventures,
            avg(m.value) AS average, min(m.value) AS min, max(m.value) AS max, avg(m.verified::int)::float8 AS verified_share
     FROM rm_gedsi_latest m JOIN v ON v.venture_id = m.venture_id
     WHERE m.tenant = $1
     GROUP BY GROUPING SETS ((m.metric_id), (v.sector, m.metric_id), (v.country, m.metric_id))
     ORDER BY 1, coalesce(v.sector, v.country) COLLATE "C", m.metric_id COLLATE "C"`,
    params,
  );
  const counts = await db.query<{ by: 'all' | 'sector' | 'country'; grp: string | null; n: number }>(
    `WITH v AS (${ventures})
     SELECT CASE WHEN GROUPING(sector) = 0 THEN 'sector' WHEN GROUPING(country) = 0 THEN 'country' ELSE 'all' END AS by,
            coalesce(sector, country) AS grp, count(*)::int AS n
     FROM v GROUP BY GROUPING SETS ((), (sector), (country)) ORDER BY 1, coalesce(sector, country) COLLATE "C"`,
    params,
  );
  const groups = (by: 'sector' | 'country'): GroupBreakdown[] =>
    counts.rows
      .filter((c) => c.by === by)
      .map((c) => ({
        key: c.grp ?? '',
        ventures: c.n,
        metrics: summaries.rows.filter((s) => s.by === by && s.grp === c.grp).map(toSummary),
      }));
  return {
    ventures: counts.rows.find((c) => c.by === 'all')?.n ?? 0,
    metrics: summaries.rows.filter((s) => s.by === 'all').map(toSummary),
    bySector: groups('sector'),
    byCountry: groups('country'),
  };
}
