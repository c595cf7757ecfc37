import { formatAmount, parseAmount } from '../../shared/money';
import type { Row } from '../../projections/runtime/projection';
import type { CapitalDashboardView, DashboardFilter, GEDSIDashboardView, GroupBreakdown, MetricSummary } from '../read-models.port';

// The in-memory twins of the SQL aggregates in `gedsi.queries.ts` and `capital.queries.ts`: an answer as of now
// equals the live one (keys in code-point order, like COLLATE "C" on the ASCII keys the models hold).

const matches = (facets: Row, filter: DashboardFilter): boolean =>
  (filter.sector === undefined || facets['sector'] === filter.sector) &&
  (filter.country === undefined || facets['country'] === filter.country) &&
  (filter.stage === undefined || facets['stage'] === filter.stage);

const byKey = <T extends { key: string } | { metricId: string }>(a: T, b: T): number => {
  const ka = 'key' in a ? a.key : a.metricId;
  const kb = 'key' in b ? b.key : b.metricId;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

const ascending = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function summaries(latest: readonly Row[]): MetricSummary[] {
  const groups = new Map<string, Row[]>();
  for (const row of latest) {
    const key = String(row['metric_id']);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }
  return [...groups.entries()]
    .map(([metricId, rows]) => {
      let [sum, min, max] = [0, Infinity, -Infinity];
      let unit: string | undefined;
      for (const r of rows) {
        const value = Number(r['value']);
        sum += value;
        if (value < min) min = value;
        if (value > max) max = value;
        if (unit === undefined || String(r['unit']) < unit) unit = String(r['unit']); // min(unit), as the SQL
      }
      return {
        metricId,
        unit: unit ?? '',
        ventures: rows.length,
        average: sum / rows.length,
        min,
        max,
        verifiedShare: rows.filter((r) => r['verified'] === true).length / rows.length,
      };
    })
    .sort(byKey);
}

/**
 * The GEDSI dashboard of one tenant from the projection's documents (the venture facets and each venture's
 * latest metrics): the in-memory twin of the SQL aggregate, used to answer as of a past instant.
 */
export function gedsiDashboardOf(facets: readonly Row[], latest: readonly Row[], filter: DashboardFilter): GEDSIDashboardView {
  const inScope = new Map(facets.filter((f) => matches(f, filter)).map((f) => [String(f['venture_id']), f]));
  const rows = latest.filter((r) => inScope.has(String(r['venture_id'])));
  const breakdown = (column: 'sector' | 'country'): GroupBreakdown[] => {
    const groups = new Map<string, Set<string>>();
    for (const [id, f] of inScope) groups.set(String(f[column]), (groups.get(String(f[column])) ?? new Set()).add(id));
    return [...groups.entries()]
      .map(([key, ids]) => ({ key, ventures: ids.size, metrics: summaries(rows.filter((r) => ids.has(String(r['venture_id'])))) }))
      .sort(byKey);
  };
  return { ventures: inScope.size, metrics: summaries(rows), bySector: breakdown('sector'), byCountry: breakdown('country') };
}

/**
 * The capital dashboard of one tenant from the capital requests and venture facets documents: the statuses that
 * occur, and `captured` net of refunds, as the SQL aggregate answers.
 */
export function capitalDashboardOf(facets: readonly Row[], requests: readonly Row[], filter: DashboardFilter): CapitalDashboardView {
  const filtered = filter.sector !== undefined || filter.country !== undefined || filter.stage !== undefined;
  const inScope = new Set(facets.filter((f) => matches(f, filter)).map((f) => String(f['venture_id'])));
  const rows = filtered ? requests.filter((r) => inScope.has(String(r['venture_id']))) : requests;
  const counts = new Map<string, number>();
  const totals = new Map<string, [bigint, bigint, bigint, bigint]>();
  for (const r of rows) {
    counts.set(String(r['status']), (counts.get(String(r['status'])) ?? 0) + 1);
    const currency = String(r['currency']);
    const sum = totals.get(currency) ?? [0n, 0n, 0n, 0n];
    const amount = (column: string): bigint => parseAmount(String(r[column]), currency);
    const amounts = [amount('requested'), amount('committed'), amount('captured') - amount('refunded'), amount('disbursed')];
    totals.set(currency, sum.map((v, i) => v + (amounts[i] ?? 0n)) as [bigint, bigint, bigint, bigint]);
  }
  return {
    requests: rows.length,
    byStatus: [...counts.entries()].sort(([a], [b]) => ascending(a, b)).map(([status, count]) => ({ status, count })),
    totals: [...totals.entries()]
      .sort(([a], [b]) => ascending(a, b))
      .map(([currency, [requested, committed, captured, disbursed]]) => ({
        currency,
        requested: formatAmount(requested, currency),
        committed: formatAmount(committed, currency),
        captured: formatAmount(captured, currency),
        disbursed: formatAmount(disbursed, currency),
      })),
  };
}
