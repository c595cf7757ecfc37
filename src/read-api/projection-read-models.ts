import type { Pool } from 'pg';
import { badUserInput } from '../app/graphql/api-error';
import { configuredProjectionNames } from '../projections/all-projections';
import { capitalDashboard, capitalRequestsByVentureIds, capitalRequestsCount, capitalRequestsKeysetPage } from '../projections/capital/capital.queries';
import { gedsiDashboard, latestGedsiMetrics } from '../projections/gedsi/gedsi.queries';
import { ProjectionsService, UnknownProjectionError } from '../projections/projections.service';
import { createVentureSearch } from '../projections/search/create-venture-search';
import { InvalidPageError, type KeysetPage as QueryPage } from '../projections/shared/page';
import { venturesByIds, venturesCount, venturesKeysetPage, type VentureStage } from '../projections/ventures/ventures.queries';
import { venturesPageWithNested } from './ventures-page-with-nested';
import type { CapitalRequestsFilter, CapitalRequestView, DashboardFilter, KeysetPage, ReadModels, VentureFilter } from './read-models.port';

export interface ProjectionReadModelsOptions {
  /** Search on the Elasticsearch venture index; unset: PostgreSQL full-text search on the ventures read model. */
  readonly elasticsearchUrl?: string;
  /** Prefix of the Elasticsearch index names (as the projector was given). */
  readonly elasticsearchIndexPrefix?: string;
}

/** The projection whose checkpoint `searchVentures` waits for (X-Read-After) with these options. */
export function searchProjectionOf(options: ProjectionReadModelsOptions = {}): string {
  return options.elasticsearchUrl === undefined ? 'ventures' : 'venture_search';
}

/**
 * The read models behind the API: the projections' query functions (`src/projections/<model>/*.queries.ts`),
 * adapted to the contract's shapes. Every query function scopes its SQL (or Elasticsearch filter) by tenant.
 */
export function projectionReadModels(pool: Pool, options: ProjectionReadModelsOptions = {}): ReadModels {
  const projections = new ProjectionsService(pool, configuredProjectionNames(options.elasticsearchUrl));
  const search = createVentureSearch({
    db: pool,
    ...(options.elasticsearchUrl !== undefined && { elasticsearchUrl: options.elasticsearchUrl }),
    ...(options.elasticsearchIndexPrefix !== undefined && { indexPrefix: options.elasticsearchIndexPrefix }),
  });
  const emptyPage = { items: [], hasNextPage: false };
  return {
    searchProjection: searchProjectionOf(options),
    venturesByIds: (tenant, ids) => unbuilt(() => venturesByIds(pool, tenant, ids), new Map()),
    venturesPage: (tenant, filter, first, after) =>
      unbuilt(async () => pageOf(await refusedAsBadInput(() => venturesKeysetPage(pool, tenant, { filter: ventureFilter(filter), first, after: after ?? null }))), emptyPage),
    venturesPageWithNested: async (tenant, filter, first, after, nested) => {
      const args = { filter: ventureFilter(filter), first, after: after ?? null };
      try {
        const found = await refusedAsBadInput(() => venturesPageWithNested(pool, tenant, args, nested));
        return { ...found, page: pageOf(found.page) };
      } catch (error: unknown) {
        // A read model not published yet: the page alone (the loaders answer the nested lists as empty).
        if ((error as { code?: unknown }).code !== '42P01') throw error;
        return { page: await unbuilt(async () => pageOf(await refusedAsBadInput(() => venturesKeysetPage(pool, tenant, args))), emptyPage) };
      }
    },
    venturesCount: (tenant, filter) => unbuilt(() => venturesCount(pool, tenant, ventureFilter(filter)), 0),
    searchVentures: (tenant, text, filter, first, after) =>
      unbuilt(async () => {
        const found = await refusedAsBadInput(() => search.search(tenant, text, { filter: ventureFilter(filter), first, after: after ?? null }));
        return { ...pageOf(found), totalCount: found.totalCount };
      }, { ...emptyPage, totalCount: 0 }),
    metricsByVentureIds: (tenant, ventureIds) => unbuilt(() => latestGedsiMetrics(pool, tenant, ventureIds), new Map()),
    capitalRequestsByVentureIds: (tenant, ventureIds) => unbuilt(() => capitalRequestsByVentureIds(pool, tenant, ventureIds), new Map()),
    capitalRequestsByIds: async (tenant, ids) => {
      // One statement for the batch: capitalRequestsPage has no id filter, so read them by id directly.
      if (ids.length === 0) return new Map<string, CapitalRequestView>();
      return unbuilt(() => capitalRequestsById(pool, tenant, ids), new Map());
    },
    capitalRequestsPage: (tenant, filter, first, after) =>
      unbuilt(async () => pageOf(await refusedAsBadInput(() => capitalRequestsKeysetPage(pool, tenant, { ...capitalFilter(filter), first, after: after ?? null }))), emptyPage),
    capitalRequestsCount: (tenant, filter) => unbuilt(() => capitalRequestsCount(pool, tenant, capitalFilter(filter)), 0),
    gedsiDashboard: (tenant, filter) =>
      unbuilt(() => gedsiDashboard(pool, tenant, dashboardFilter(filter)), { ventures: 0, metrics: [], bySector: [], byCountry: [] }),
    capitalDashboard: (tenant, filter) => unbuilt(() => capitalDashboard(pool, tenant, dashboardFilter(filter)), { requests: 0, byStatus: [], totals: [] }),
    projections: () => projections.list(),
    rebuild: async (name) => {
      try {
        return await projections.rebuild(name);
      } catch (error: unknown) {
        if (error instanceof UnknownProjectionError) throw badUserInput('name', error.message);
        throw error;
      }
    },
    close: () => search.close(),
  };
}

/** Requests by id, tenant-scoped, in one statement (the DataLoader batches `capitalRequest(id)`). */
async function capitalRequestsById(pool: Pool, tenant: string, ids: readonly string[]): Promise<Map<string, CapitalRequestView>> {
  const res = await pool.query<{ id: string; venture_id: string }>(
    'SELECT id, venture_id FROM rm_capital_requests WHERE tenant = $1 AND id = ANY($2::text[])',
    [tenant, [...ids]],
  );
  if (res.rows.length === 0) return new Map();
  const wanted = new Set(ids);
  const byVenture = await capitalRequestsByVentureIds(pool, tenant, [...new Set(res.rows.map((r) => r.venture_id))]);
  const out = new Map<string, CapitalRequestView>();
  for (const requests of byVenture.values()) for (const r of requests) if (wanted.has(r.id)) out.set(r.id, r);
  return out;
}

function ventureFilter(filter: VentureFilter) {
  return {
    sector: filter.sector ?? null,
    country: filter.country ?? null,
    stage: (filter.stage ?? null) as VentureStage | null,
    nameContains: filter.nameContains ?? null,
  };
}

function dashboardFilter(filter: DashboardFilter) {
  return { sector: filter.sector ?? null, country: filter.country ?? null, stage: (filter.stage ?? null) as VentureStage | null };
}

function capitalFilter(filter: CapitalRequestsFilter) {
  return { ventureId: filter.ventureId ?? null, status: filter.status ?? null };
}

/** A page of the query functions in the port's shape. */
const pageOf = <T>(page: QueryPage<T>): KeysetPage<T> => ({ items: page.edges, hasNextPage: page.pageInfo.hasNextPage });

/** A cursor or size the query functions refuse is the caller's bad input. */
async function refusedAsBadInput<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error: unknown) {
    if (error instanceof InvalidPageError) throw badUserInput(error.field, error.message);
    throw error;
  }
}

/**
 * A read model's views appear when the projector first publishes it: until then (undefined_table) it holds
 * nothing, the same answer as an empty read model rather than an INTERNAL error.
 */
async function unbuilt<T>(read: () => Promise<T>, empty: T): Promise<T> {
  try {
    return await read();
  } catch (error: unknown) {
    if ((error as { code?: unknown }).code === '42P01') return empty;
    throw error;
  }
}
