import { capitalDashboardOf, gedsiDashboardOf } from './dashboard-aggregates';

const facet = (id: string, sector: string, country: string) => ({ venture_id: id, tenant: 't', sector, country, stage: 'SEED', revision: 0 });
const metric = (id: string, metricId: string, value: number, verified: boolean) => ({ venture_id: id, metric_id: metricId, value, unit: 'percent', verified });

describe('dashboards from documents', () => {
  const facets = [facet('a', 'energy', 'KE'), facet('b', 'energy', 'UG'), facet('c', 'health', 'KE')];
  const latest = [metric('a', 'm1', 40, true), metric('b', 'm1', 60, false), metric('c', 'm2', 5, true)];

  it('summarises each metric over the ventures in scope, grouped by sector and country', () => {
    const dashboard = gedsiDashboardOf(facets, latest, {});
    expect(dashboard.ventures).toBe(3);
    expect(dashboard.metrics).toEqual([
      { metricId: 'm1', unit: 'percent', ventures: 2, average: 50, min: 40, max: 60, verifiedShare: 0.5 },
      { metricId: 'm2', unit: 'percent', ventures: 1, average: 5, min: 5, max: 5, verifiedShare: 1 },
    ]);
    expect(dashboard.bySector.map((g) => [g.key, g.ventures, g.metrics.length])).toEqual([['energy', 2, 1], ['health', 1, 1]]);
    expect(dashboard.byCountry.map((g) => g.key)).toEqual(['KE', 'UG']);
    expect(gedsiDashboardOf(facets, latest, { country: 'UG' }).metrics).toEqual([expect.objectContaining({ metricId: 'm1', ventures: 1, average: 60 })]);
  });

  it('totals capital exactly per currency, captured net of refunds, and counts the statuses that occur (as the SQL does)', () => {
    const request = (id: string, ventureId: string, currency: string, requested: string, status: string, captured = '0.00', refunded = '0.00') => ({
      id, venture_id: ventureId, currency, status, requested, committed: '0.10', captured, refunded, disbursed: '0.00',
    });
    const dashboard = capitalDashboardOf(facets, [request('1', 'a', 'USD', '0.10', 'COMMITTED', '0.10', '0.03'), request('2', 'c', 'USD', '0.20', 'REQUESTED')], {});
    expect(dashboard.requests).toBe(2);
    expect(dashboard.totals).toEqual([{ currency: 'USD', requested: '0.30', committed: '0.20', captured: '0.07', disbursed: '0.00' }]);
    expect(dashboard.byStatus).toEqual([{ status: 'COMMITTED', count: 1 }, { status: 'REQUESTED', count: 1 }]);
    expect(capitalDashboardOf(facets, [request('2', 'c', 'USD', '0.20', 'REQUESTED')], { sector: 'energy' })).toEqual({ requests: 0, byStatus: [], totals: [] });
  });

  it('names the least unit of a metric reported in several, as min(unit) in SQL', () => {
    const mixed = [metric('a', 'm1', 40, true), { ...metric('b', 'm1', 60, false), unit: 'count' }];
    expect(gedsiDashboardOf(facets, mixed, {}).metrics[0]?.unit).toBe('count');
  });
});
