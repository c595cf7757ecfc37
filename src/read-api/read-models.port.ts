/**
 * What the read API asks of the read models, in the contract's shapes. The projections' query functions
 * implement it (`projection-read-models.ts`); every call is scoped to one tenant: rows of another tenant are
 * never returned, not even by id.
 */

export interface VentureView {
  readonly id: string;
  readonly name: string;
  readonly sector: string;
  readonly country: string;
  readonly stage: string;
  readonly description: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
  /** Set on a venture rebuilt as of an instant: its nested fields are answered as of the same instant. */
  readonly asOf?: string;
}

export interface MetricView {
  readonly metricId: string;
  readonly value: number;
  readonly unit: string;
  readonly period: string;
  readonly verified: boolean;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export interface MoneyView {
  readonly amount: string;
  readonly currency: string;
}

export interface CapitalRequestView {
  readonly id: string;
  readonly ventureId: string;
  readonly amount: MoneyView;
  readonly instrument: string;
  readonly purpose: string;
  readonly status: string;
  readonly committed: MoneyView;
  readonly captured: MoneyView;
  readonly disbursed: MoneyView;
  readonly requestedAt: string;
  readonly updatedAt: string;
}

export interface VentureFilter {
  readonly sector?: string;
  readonly country?: string;
  readonly stage?: string;
  readonly nameContains?: string;
}

export interface DashboardFilter {
  readonly sector?: string;
  readonly country?: string;
  readonly stage?: string;
}

/** A page of a keyset-paged list; cursors are opaque to clients. */
export interface KeysetPage<T> {
  readonly items: readonly { readonly node: T; readonly cursor: string }[];
  readonly hasNextPage: boolean;
}

/** A page with the total count of its filter. */
export interface Page<T> extends KeysetPage<T> {
  readonly totalCount: number;
}

export interface CapitalRequestsFilter {
  readonly ventureId?: string;
  readonly status?: string;
}

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
  readonly metrics: readonly MetricSummary[];
}

export interface GEDSIDashboardView {
  readonly ventures: number;
  readonly metrics: readonly MetricSummary[];
  readonly bySector: readonly GroupBreakdown[];
  readonly byCountry: readonly GroupBreakdown[];
}

export interface CapitalDashboardView {
  readonly requests: number;
  readonly byStatus: readonly { readonly status: string; readonly count: number }[];
  readonly totals: readonly { currency: string; requested: string; committed: string; captured: string; disbursed: string }[];
}

export interface ProjectionStatusView {
  readonly name: string;
  readonly state: string;
  readonly position: string | null;
  readonly headPosition: string | null;
  readonly lag: number;
  readonly deadLetters: number;
  readonly rebuildProgress: number | null;
  readonly updatedAt: string | null;
}

export interface NestedSelection {
  readonly metrics: boolean;
  readonly capitalRequests: boolean;
}

export interface VenturesPageWithNested {
  readonly page: KeysetPage<VentureView>;
  /** Per venture of the page (each has an entry), when selected. */
  readonly metrics?: ReadonlyMap<string, readonly MetricView[]>;
  readonly capitalRequests?: ReadonlyMap<string, readonly CapitalRequestView[]>;
}

export interface ReadModels {
  /** The projection `searchVentures` reads (X-Read-After waits for it): `ventures` on PostgreSQL, `venture_search` on Elasticsearch. */
  readonly searchProjection?: string;
  venturesByIds(tenant: string, ids: readonly string[]): Promise<ReadonlyMap<string, VentureView>>;
  /** A page without its total: `venturesCount` answers that, only when a client asks for it. */
  venturesPage(tenant: string, filter: VentureFilter, first: number, after: string | undefined): Promise<KeysetPage<VentureView>>;
  /**
   * The same page with the nested lists the client selected read along in one statement (the loaders are then
   * primed with them). Optional: without it the nested fields are batched per field by the loaders.
   */
  venturesPageWithNested?(tenant: string, filter: VentureFilter, first: number, after: string | undefined, nested: NestedSelection): Promise<VenturesPageWithNested>;
  venturesCount(tenant: string, filter: VentureFilter): Promise<number>;
  searchVentures(tenant: string, text: string, filter: VentureFilter, first: number, after: string | undefined): Promise<Page<VentureView>>;
  /** The latest period of each metric, per venture. */
  metricsByVentureIds(tenant: string, ventureIds: readonly string[]): Promise<ReadonlyMap<string, readonly MetricView[]>>;
  capitalRequestsByVentureIds(tenant: string, ventureIds: readonly string[]): Promise<ReadonlyMap<string, readonly CapitalRequestView[]>>;
  capitalRequestsByIds(tenant: string, ids: readonly string[]): Promise<ReadonlyMap<string, CapitalRequestView>>;
  capitalRequestsPage(tenant: string, filter: CapitalRequestsFilter, first: number, after: string | undefined): Promise<KeysetPage<CapitalRequestView>>;
  capitalRequestsCount(tenant: string, filter: CapitalRequestsFilter): Promise<number>;
  gedsiDashboard(tenant: string, filter: DashboardFilter): Promise<GEDSIDashboardView>;
  capitalDashboard(tenant: string, filter: DashboardFilter): Promise<CapitalDashboardView>;
  projections(): Promise<readonly ProjectionStatusView[]>;
  rebuild(name: string): Promise<ProjectionStatusView>;
  /** Releases what the read models hold besides the pool (the Elasticsearch client). */
  close?(): Promise<void>;
}

/** The projection each part of the API reads (X-Read-After waits for these; the cache keys on their checkpoints). */
export const READ_MODEL = {
  ventures: 'ventures',
  search: 'search',
  gedsi: 'gedsi',
  capital: 'capital',
} as const;
