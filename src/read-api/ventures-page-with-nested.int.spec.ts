import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { pgProjections } from '../projections/all-projections';
import { capitalRequestsByVentureIds, type CapitalRequestView } from '../projections/capital/capital.queries';
import { latestGedsiMetrics, type GedsiMetricView } from '../projections/gedsi/gedsi.queries';
import { startProjector, type Projector } from '../projections/projector';
import { InvalidPageError } from '../projections/shared/page';
import { newEvent, ventureCreated } from '../projections/testing/fixtures';
import { allCaughtUp, silentLogger, testPool, waitFor } from '../projections/testing/support';
import { Workload } from '../projections/testing/workload';
import { venturesKeysetPage, type VentureFilter, type VenturesPageArgs } from '../projections/ventures/ventures.queries';
import { schemaRegistry } from '../shared/schemas/schema-registry';
import { expect as expectRevision, type NewEvent } from '../write-model/event-store/event-store.port';
import { PostgresEventStore } from '../write-model/event-store/postgres/postgres-event-store';
import { ValidatingEventStore } from '../write-model/event-store/validating-event-store';
import type { NestedSelection } from './read-models.port';
import { venturesPageWithNested } from './ventures-page-with-nested';

jest.setTimeout(300_000);

const names = pgProjections().map((p) => p.name);

const TENANT = 'tenant-n';
const OTHER = 'tenant-o';
const STAGES = ['IDEA', 'PRE_SEED', 'SEED', 'SERIES_A', 'GROWTH'] as const;
const VENTURES = 24;

const BOTH: NestedSelection = { metrics: true, capitalRequests: true };
const SELECTIONS: readonly NestedSelection[] = [BOTH, { metrics: true, capitalRequests: false }, { metrics: false, capitalRequests: true }];

/** An instant `seconds` after a fixed origin (several ventures share one: ties are ordered by id). */
const at = (seconds: number): string => new Date(Date.UTC(2026, 0, 1) + seconds * 1000).toISOString();
const withTime = (event: NewEvent, occurredAt: string): NewEvent => ({ ...event, occurredAt });

const metricV2 = (tenant: string, ventureId: string, metricId: string, period: string, value: number, unit = 'percent', oldValue: number | null = null) =>
  newEvent('GEDSIMetricUpdated', { ventureId, metricId, period, oldValue, newValue: value, unit }, tenant, 2);
const metricV1 = (tenant: string, ventureId: string, metricId: string, period: string, value: number) =>
  newEvent('GEDSIMetricUpdated', { ventureId, metricId, period, value }, tenant, 1);
const verified = (tenant: string, ventureId: string, metricId: string, period: string, value: number) =>
  newEvent('GEDSIMetricVerified', { ventureId, metricId, period, value, verifiedBy: 'verifier-1' }, tenant);

describe('venturesPageWithNested: a page of ventures with their latest metrics and capital requests in one statement', () => {
  let db: TestDatabase;
  let raw: PostgresEventStore;
  let store: ValidatingEventStore;
  let pool: Pool;
  let projector: Projector;
  /** The tenant's ventures by index (see the setup for what each has). */
  const ids: string[] = [];
  const foreignIds: string[] = [];
  let kwdRequest = '';
  let foreignRequestOnOurVenture = '';

  async function requestCapital(tenant: string, ventureId: string, amount: string, currency: string, occurredAt: string): Promise<string> {
    const id = randomUUID();
    const data = { capitalRequestId: id, ventureId, amount, currency, instrument: 'GRANT', purpose: `${currency} request` };
    await store.append(`capital-${id}`, [withTime(newEvent('CapitalRequested', data, tenant), occurredAt)], expectRevision.noStream);
    return id;
  }

  async function capitalEvents(tenant: string, id: string, events: NewEvent[]): Promise<void> {
    await store.append(`capital-${id}`, events, expectRevision.any);
  }

  beforeAll(async () => {
    db = await createTestDatabase('nested_page');
    raw = await PostgresEventStore.create({ connectionString: db.url, poolSize: 3 });
    store = new ValidatingEventStore(raw, schemaRegistry());
    pool = testPool(db.url, 3);

    // Volume and variety (tenants a, b, c): several periods per metric, v1 and v2 events, verifications,
    // USD/EUR/KES/JPY requests with commitments and captures.
    await new Workload(23).appendAtLeast(store, 2500, 4);

    // Our tenant: three ventures per instant (ties ordered by id), sectors, countries, stages and names to filter by.
    for (let i = 0; i < VENTURES; i++) {
      const id = randomUUID();
      ids.push(id);
      const name = i % 4 === 0 ? `Solar_Kit ${i}` : `Clinic ${i}`;
      const facets = { sector: ['Energy', 'Health', 'Water'][i % 3], country: ['KE', 'NG'][i % 2], stage: STAGES[i % 5] };
      await store.append(`venture-${id}`, [withTime(ventureCreated(id, name, TENANT, facets), at(Math.floor(i / 3)))], expectRevision.noStream);
      // Another tenant's ventures at the same instants, with names and facets that match the same filters.
      if (i % 4 === 0) {
        const foreign = randomUUID();
        foreignIds.push(foreign);
        await store.append(`venture-${foreign}`, [withTime(ventureCreated(foreign, `Solar_Kit foreign ${i}`, OTHER, facets), at(Math.floor(i / 3)))], expectRevision.noStream);
      }
    }

    // Metrics, by i % 4: none; one; several (one of them in several periods, an older period recorded last, one
    // verified, one a count, one a value with a long binary fraction); two in the legacy v1 shape.
    for (const [i, id] of ids.entries()) {
      const events: NewEvent[] = [];
      if (i % 4 === 1) events.push(metricV2(TENANT, id, 'women_ownership_pct', '2026-Q1', i + 0.5));
      if (i % 4 === 2) {
        events.push(
          metricV2(TENANT, id, 'women_board_pct', '2025-Q1', 10),
          metricV2(TENANT, id, 'women_board_pct', '2026-Q2', 1 / 3),
          metricV2(TENANT, id, 'women_board_pct', '2025-H2', 99), // older than 2026-Q2: not the latest
          metricV2(TENANT, id, 'women_customers_reached', '2026', 1234 + i, 'count'),
          metricV2(TENANT, id, 'workplace_accessibility', '2025', 1, 'flag'),
          verified(TENANT, id, 'workplace_accessibility', '2025', 1),
        );
      }
      if (i % 4 === 3) events.push(metricV1(TENANT, id, 'youth_employment_pct', '2025-Q4', 42.25), metricV1(TENANT, id, 'gender_pay_gap_pct', '2026-H1', 0.1 + 0.2));
      if (events.length > 0) await store.append(`gedsi-${id}`, events, expectRevision.any);
    }

    // Capital requests, by i % 3: none; one (JPY, partly committed); several: USD, KWD (3 minor digits) committed,
    // captured and partly refunded, two JPY requested at the same instant (ordered by id).
    for (const [i, id] of ids.entries()) {
      if (i % 3 === 1) {
        const jpy = await requestCapital(TENANT, id, '1500', 'JPY', at(100 + i));
        await capitalEvents(TENANT, jpy, [newEvent('InvestmentCommitted', { capitalRequestId: jpy, investorId: randomUUID(), amount: '500', currency: 'JPY', totalCommitted: '500' }, TENANT)]);
      }
      if (i % 3 === 2) {
        await requestCapital(TENANT, id, '250.5', 'USD', at(100 + i));
        const kwd = await requestCapital(TENANT, id, '1000.000', 'KWD', at(200 + i));
        if (i === 2) kwdRequest = kwd;
        await capitalEvents(TENANT, kwd, [
          newEvent('InvestmentCommitted', { capitalRequestId: kwd, investorId: randomUUID(), amount: '1000', currency: 'KWD', totalCommitted: '1000' }, TENANT),
          newEvent('PaymentCaptured', { capitalRequestId: kwd, paymentId: `pay-${i}`, amount: '1000.000', currency: 'KWD', totalCaptured: '1000.000', commitment: 1 }, TENANT, 2),
          newEvent('PaymentRefunded', { capitalRequestId: kwd, paymentId: `pay-${i}`, refundId: `refund-${i}`, amount: '250.5', currency: 'KWD', totalRefunded: '250.5' }, TENANT),
        ]);
        await requestCapital(TENANT, id, '20000', 'JPY', at(300 + i));
        await requestCapital(TENANT, id, '30000', 'JPY', at(300 + i));
      }
    }

    // The other tenant: metrics and requests on its own ventures, and a metric and a request recorded under its
    // tenant for one of OUR venture ids (the read side must scope the nested lists by tenant too).
    for (const foreign of foreignIds) {
      await store.append(`gedsi-${foreign}`, [metricV2(OTHER, foreign, 'women_ownership_pct', '2026-Q1', 77)], expectRevision.any);
      await requestCapital(OTHER, foreign, '99.99', 'USD', at(400));
    }
    const ours = ids[2] ?? '';
    await store.append(`gedsi-foreign-${ours}`, [metricV2(OTHER, ours, 'safeguarding_policy', '2026', 1, 'flag')], expectRevision.noStream);
    foreignRequestOnOurVenture = await requestCapital(OTHER, ours, '5.00', 'USD', at(500));

    projector = await startProjector({ databaseUrl: db.url, logger: silentLogger(), runtime: { tickMs: 100 } });
    await waitFor('catch-up', () => allCaughtUp(pool, raw, names), 180_000);
  });

  afterAll(async () => {
    await projector?.stop();
    await pool?.end();
    await raw?.close();
    await db?.drop();
  });

  /**
   * Walks every page of the filter with `venturesPageWithNested` and checks each one against the separate reads:
   * the same page (edges, cursors, pageInfo) as `venturesKeysetPage`, and per venture of the page exactly the
   * lists `latestGedsiMetrics` and `capitalRequestsByVentureIds` give for the page's ids. Returns the nested
   * lists of every venture it walked (of the last selection).
   */
  async function compareWalk(tenant: string, filter: VentureFilter, first: number, nested: NestedSelection) {
    const metrics = new Map<string, readonly GedsiMetricView[]>();
    const requests = new Map<string, readonly CapitalRequestView[]>();
    const walked: string[] = [];
    for (let after: string | null = null, pages = 0; ; pages++) {
      if (pages > 500) throw new Error('the walk does not end');
      const args: VenturesPageArgs = { filter, first, after };
      const expected = await venturesKeysetPage(pool, tenant, args);
      const found = await venturesPageWithNested(pool, tenant, args, nested);
      expect(found.page).toEqual(expected);
      const pageIds = expected.edges.map((e) => e.node.id);
      walked.push(...pageIds);
      expect(Object.keys(found).sort()).toEqual(['page', ...(nested.capitalRequests ? ['capitalRequests'] : []), ...(nested.metrics ? ['metrics'] : [])].sort());
      if (nested.metrics) {
        expect([...(found.metrics?.keys() ?? [])]).toEqual(pageIds);
        expect(found.metrics).toEqual(await latestGedsiMetrics(pool, tenant, pageIds));
        for (const [id, list] of found.metrics ?? []) metrics.set(id, list);
      }
      if (nested.capitalRequests) {
        expect([...(found.capitalRequests?.keys() ?? [])]).toEqual(pageIds);
        expect(found.capitalRequests).toEqual(await capitalRequestsByVentureIds(pool, tenant, pageIds));
        for (const [id, list] of found.capitalRequests ?? []) requests.set(id, list);
      }
      if (!expected.pageInfo.hasNextPage) break;
      after = expected.pageInfo.endCursor;
    }
    return { walked, metrics, requests };
  }

  const FILTERS: readonly VentureFilter[] = [
    {},
    { sector: 'Energy' },
    { country: 'NG' },
    { stage: 'SEED' },
    { nameContains: 'solar_kit' },
    { nameContains: '_' },
    { sector: 'Health', country: 'KE' },
    { sector: 'Water', country: 'NG', stage: 'IDEA', nameContains: 'clinic' },
    { nameContains: 'no such venture' },
  ];

  it.each([3, 7, 20])('gives the same pages and nested lists as the separate reads, first: %i, every filter and selection', async (first) => {
    for (const filter of FILTERS) {
      for (const nested of SELECTIONS) await compareWalk(TENANT, filter, first, nested);
    }
  });

  it('gives the same pages and nested lists over the workload’s tenant (many ventures, periods, currencies)', async () => {
    for (const nested of SELECTIONS) {
      const { walked, metrics, requests } = await compareWalk('tenant-a', {}, 20, nested);
      expect(walked.length).toBeGreaterThan(40);
      if (nested.metrics) expect([...metrics.values()].filter((list) => list.length > 1).length).toBeGreaterThan(0);
      if (nested.capitalRequests) expect([...requests.values()].some((list) => list.some((r) => r.amount.currency === 'JPY'))).toBe(true);
    }
    await compareWalk('tenant-a', { sector: 'Energy' }, 7, BOTH);
    await compareWalk('tenant-b', { stage: 'GROWTH' }, 3, BOTH);
  });

  it('walks every venture of the tenant once, in creation order then id, and none of another tenant', async () => {
    const { walked } = await compareWalk(TENANT, {}, 7, BOTH);
    expect(walked).toHaveLength(VENTURES);
    expect(new Set(walked)).toEqual(new Set(ids));
    const byInstant = (id: string): number => Math.floor(ids.indexOf(id) / 3);
    expect(walked.map(byInstant)).toEqual([...walked.map(byInstant)].sort((a, b) => a - b));
    for (const foreign of foreignIds) expect(walked).not.toContain(foreign);
    const solar = await compareWalk(TENANT, { nameContains: 'solar_kit' }, 3, BOTH);
    expect(solar.walked).toEqual(walked.filter((id) => ids.indexOf(id) % 4 === 0));
  });

  it('answers the lists of the data appended: none, one, several (latest period only), net captures, minor digits', async () => {
    const { metrics, requests } = await compareWalk(TENANT, {}, 20, BOTH);
    const metricsOf = (i: number) => metrics.get(ids[i] ?? '');
    const requestsOf = (i: number) => requests.get(ids[i] ?? '');

    expect(metricsOf(0)).toEqual([]);
    expect(metricsOf(1)).toEqual([expect.objectContaining({ metricId: 'women_ownership_pct', value: 1.5, period: '2026-Q1', verified: false })]);
    expect(metricsOf(2)).toEqual([
      expect.objectContaining({ metricId: 'women_board_pct', value: 1 / 3, unit: 'percent', period: '2026-Q2', verified: false }),
      expect.objectContaining({ metricId: 'women_customers_reached', value: 1236, unit: 'count', period: '2026' }),
      expect.objectContaining({ metricId: 'workplace_accessibility', value: 1, unit: 'flag', period: '2025', verified: true }),
    ]);
    expect(metricsOf(3)?.map((m) => [m.metricId, m.value, m.period])).toEqual([
      ['gender_pay_gap_pct', 0.1 + 0.2, '2026-H1'],
      ['youth_employment_pct', 42.25, '2025-Q4'],
    ]);

    expect(requestsOf(0)).toEqual([]);
    expect(requestsOf(1)).toEqual([
      expect.objectContaining({ ventureId: ids[1], amount: { amount: '1500', currency: 'JPY' }, committed: { amount: '500', currency: 'JPY' }, status: 'REQUESTED' }),
    ]);
    const several = requestsOf(2) ?? [];
    // Oldest first; the two JPY requests of the same instant in id order (as capitalRequestsByVentureIds, above).
    expect(several.slice(0, 2).map((r) => [r.amount.amount, r.amount.currency])).toEqual([
      ['250.50', 'USD'],
      ['1000.000', 'KWD'],
    ]);
    expect(several.slice(2).map((r) => [r.amount.amount, r.amount.currency]).sort()).toEqual([
      ['20000', 'JPY'],
      ['30000', 'JPY'],
    ]);
    expect(several[2]?.requestedAt).toBe(several[3]?.requestedAt);
    expect(several.find((r) => r.id === kwdRequest)).toMatchObject({
      status: 'COMMITTED',
      committed: { amount: '1000.000', currency: 'KWD' },
      captured: { amount: '749.500', currency: 'KWD' },
      disbursed: { amount: '0.000', currency: 'KWD' },
    });

    // Nothing of the other tenant, not even what it recorded under our venture ids.
    expect(metricsOf(2)?.map((m) => m.metricId)).not.toContain('safeguarding_policy');
    expect(several.map((r) => r.id)).not.toContain(foreignRequestOnOurVenture);
    const theirs = await venturesPageWithNested(pool, OTHER, { first: 50 }, BOTH);
    expect(theirs.page.edges.map((e) => e.node.id)).toEqual(foreignIds);
    expect([...(theirs.metrics?.values() ?? [])].every((list) => list.length === 1 && list[0]?.value === 77)).toBe(true);
    expect(theirs.capitalRequests).toEqual(await capitalRequestsByVentureIds(pool, OTHER, foreignIds));
  });

  it('refuses a cursor that is not one of its list, and a page size out of range, with InvalidPageError', async () => {
    await expect(venturesPageWithNested(pool, TENANT, { after: 'not-a-cursor' }, BOTH)).rejects.toBeInstanceOf(InvalidPageError);
    await expect(venturesPageWithNested(pool, TENANT, { after: Buffer.from(JSON.stringify([1, 2])).toString('base64url') }, BOTH)).rejects.toBeInstanceOf(InvalidPageError);
    await expect(venturesPageWithNested(pool, TENANT, { first: 101 }, { metrics: true, capitalRequests: false })).rejects.toBeInstanceOf(InvalidPageError);
  });
});
