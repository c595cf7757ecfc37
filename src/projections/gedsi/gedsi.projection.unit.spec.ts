import { projectInMemory, rowsOf, settle } from '../runtime/fold';
import { envelope } from '../testing/envelopes';
import { gedsiProjection } from './gedsi.projection';
import { metricsOfJoinedViews, toMetric, type MetricRow } from './gedsi.queries';
import { periodOrder } from './period-order';

const v = '0b8f2c1e-5d0c-4d6a-9a57-0e1f6a3c2b11';
const stream = `gedsi-${v}`;
let revision = 0;
const updated = (metricId: string, period: string, newValue: number, unit = 'percent') =>
  envelope('GEDSIMetricUpdated', { ventureId: v, metricId, period, oldValue: null, newValue, unit }, { streamId: stream, revision: revision++, actor: 'founder-1', schemaVersion: 2 });
const verified = (metricId: string, period: string, value: number) =>
  envelope('GEDSIMetricVerified', { ventureId: v, metricId, period, value, verifiedBy: 'verifier-9' }, { streamId: stream, revision: revision++, actor: 'verifier-9' });
const created = envelope('VentureCreated', { ventureId: v, name: 'A', sector: 'Energy', country: 'KE', stage: 'SEED', description: null }, { streamId: `venture-${v}`, revision: 0 });
const moved = envelope('VentureProfileUpdated', { ventureId: v, changes: { country: 'UG' } }, { streamId: `venture-${v}`, revision: 1 });

const [HISTORY, LATEST, FACETS] = [0, 1, 2];
const project = (events: Parameters<typeof projectInMemory>[1]) => projectInMemory(gedsiProjection.views, events);

describe('GEDSI projection', () => {
  beforeEach(() => {
    revision = 0;
  });

  it('keeps every period of a metric and, as latest, the period ending last', () => {
    const docs = project([updated('women_board_pct', '2025-Q4', 30), updated('women_board_pct', '2026-Q1', 40), updated('women_board_pct', '2025-Q2', 10)]);
    expect(rowsOf(docs, HISTORY).map((r) => [r['period'], r['value']])).toEqual([
      ['2025-Q2', 10],
      ['2025-Q4', 30],
      ['2026-Q1', 40],
    ]);
    expect(rowsOf(docs, LATEST)).toEqual([expect.objectContaining({ metric_id: 'women_board_pct', period: '2026-Q1', value: 40, updated_by: 'founder-1', verified: false })]);
  });

  it('marks a value verified only while it is the recorded value, and a new value clears it', () => {
    const docs = project([updated('women_board_pct', '2026-Q1', 40), verified('women_board_pct', '2026-Q1', 40), verified('women_board_pct', '2026-Q1', 99)]);
    expect(rowsOf(docs, LATEST)).toEqual([expect.objectContaining({ value: 40, verified: true, verified_by: 'verifier-9' })]);
    const after = project([updated('women_board_pct', '2026-Q1', 40), verified('women_board_pct', '2026-Q1', 40), updated('women_board_pct', '2026-Q1', 45)]);
    expect(rowsOf(after, HISTORY)).toEqual([expect.objectContaining({ value: 45, verified: false, verified_at: null })]);
  });

  it('reads a legacy v1 update through its upcaster shape (the runtime upcasts before evolve)', () => {
    const docs = project([updated('women_customers_reached', '2025', 1200, 'count')]);
    expect(rowsOf(docs, LATEST)).toEqual([expect.objectContaining({ unit: 'count', value: 1200, period_order: periodOrder('2025') })]);
  });

  it('writes each latest row with its GEDSIMetric view, which reads back as the row does', () => {
    const docs = project([updated('women_board_pct', '2026-Q1', 40), verified('women_board_pct', '2026-Q1', 40), updated('women_board_pct', '2025-Q2', 10)]);
    const [row] = rowsOf(docs, LATEST);
    expect(metricsOfJoinedViews(String(row?.['view']))).toEqual([toMetric(row as unknown as MetricRow)]);
    expect(metricsOfJoinedViews(String(row?.['view']))).toEqual([expect.objectContaining({ metricId: 'women_board_pct', value: 40, period: '2026-Q1', verified: true, updatedBy: 'founder-1' })]);
    expect(metricsOfJoinedViews(null)).toEqual([]);
  });

  it('writes the view instants as PostgreSQL reads them back (UTC, milliseconds), whatever form the event had', () => {
    const event = { ...updated('women_board_pct', '2026-Q1', 40), occurredAt: '2026-03-01T12:00:00+02:00' };
    const [row] = rowsOf(project([event]), LATEST);
    expect(metricsOfJoinedViews(String(row?.['view']))[0]?.updatedAt).toBe('2026-03-01T10:00:00.000Z');
  });

  it('keeps the sector, country and stage of each venture for the dashboard', () => {
    expect(rowsOf(project([created, moved]), FACETS)).toEqual([{ venture_id: v, tenant: 'tenant-a', sector: 'Energy', country: 'UG', stage: 'SEED', revision: 1 }]);
  });

  it('changes nothing when the same events are applied again', () => {
    const events = [created, updated('women_board_pct', '2025-Q4', 30), verified('women_board_pct', '2025-Q4', 30), updated('women_board_pct', '2026-Q1', 40)];
    const once = project(events);
    const twice = projectInMemory(gedsiProjection.views, events, settle(once, 3));
    for (const view of [HISTORY, LATEST, FACETS]) expect(rowsOf(twice, view)).toEqual(rowsOf(once, view));
  });
});

describe('reporting periods', () => {
  it('order by their end, and the longer period last among those ending together', () => {
    const periods = ['2026', '2026-H2', '2026-Q4', '2026-Q1', '2025', '2026-H1', '2026-Q2'];
    expect([...periods].sort((a, b) => periodOrder(a) - periodOrder(b))).toEqual(['2025', '2026-Q1', '2026-Q2', '2026-H1', '2026-Q4', '2026-H2', '2026']);
  });

  it('refuses a period that is not YYYY, YYYY-Qn or YYYY-Hn', () => {
    expect(() => periodOrder('2026-Q5')).toThrow(/invalid reporting period/);
  });
});
