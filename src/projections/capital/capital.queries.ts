import { currencyMinorUnits, formatAmount, parseAmount } from '../../shared/money';
import type { DashboardFilter } from '../gedsi/gedsi.queries';
import type { Queryable } from '../runtime/queryable';
import { decodeCursor, encodeCursor, pageSize, toKeysetPage, type Connection, type KeysetPage } from '../shared/page';
import { parseJoined, selectList, type Columns } from '../shared/columns';
import { preparedQuery } from '../shared/prepared';

export interface Money {
  readonly amount: string;
  readonly currency: string;
}

/** The contract's CapitalRequest. */
export interface CapitalRequestView {
  readonly id: string;
  readonly ventureId: string;
  readonly amount: Money;
  readonly instrument: string;
  readonly purpose: string;
  readonly status: string;
  readonly committed: Money;
  /** Captured net of refunds. */
  readonly captured: Money;
  readonly disbursed: Money;
  readonly requestedAt: string;
  readonly updatedAt: string;
}

export interface RequestRow {
  id: string;
  venture_id: string;
  currency: string;
  instrument: string;
  purpose: string;
  status: string;
  requested: string;
  committed: string;
  captured: string;
  refunded: string;
  disbursed: string;
  requested_at: string;
  updated_at: string;
}

/** The columns of a `RequestRow`, over the alias `c`. */
const REQUEST_FIELDS: Columns = [
  ['id', 'c.id'],
  ['venture_id', 'c.venture_id'],
  ['currency', 'c.currency'],
  ['instrument', 'c.instrument'],
  ['purpose', 'c.purpose'],
  ['status', 'c.status'],
  ['requested', 'c.requested::text'],
  ['committed', 'c.committed::text'],
  ['captured', 'c.captured::text'],
  ['refunded', 'c.refunded::text'],
  ['disbursed', 'c.disbursed::text'],
  ['requested_at', `to_char(c.requested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`],
  ['updated_at', `to_char(c.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`],
];

const COLUMNS = selectList(REQUEST_FIELDS);

/** A decimal from PostgreSQL with the currency's minor units ("1500.00" USD, "1500" JPY). */
const money = (amount: string, currency: string): Money => ({ amount: minorUnitsAmount(amount, currency), currency });

/**
 * PostgreSQL's text of a non-negative decimal as the contract writes it, with exactly the currency's minor
 * digits: kept as is when it has them already (the common case, and the hot path of every page), else padded
 * or stripped of trailing zeros; more precision than the currency has is refused (parseAmount says why).
 */
export function minorUnitsAmount(amount: string, currency: string): string {
  const digits = currencyMinorUnits(currency);
  const match = PLAIN_UNSIGNED.exec(amount);
  const integer = match?.[1];
  const fraction = match?.[2] ?? '';
  if (integer === undefined || /[^0]/.test(fraction.slice(digits))) return formatAmount(parseAmount(amount, currency), currency);
  if (fraction.length === digits) return amount;
  return digits === 0 ? integer : `${integer}.${fraction.slice(0, digits).padEnd(digits, '0')}`;
}

const PLAIN_UNSIGNED = /^(0|[1-9]\d*)(?:\.(\d+))?$/;
const isZero = (amount: string): boolean => /^0(\.0*)?$/.test(amount);

export const toRequest = (r: RequestRow): CapitalRequestView => ({
  id: r.id,
  ventureId: r.venture_id,
  amount: money(r.requested, r.currency),
  instrument: r.instrument,
  purpose: r.purpose,
  status: r.status,
  committed: money(r.committed, r.currency),
  captured: isZero(r.refunded)
    ? money(r.captured, r.currency)
    : { amount: formatAmount(parseAmount(r.captured, r.currency) - parseAmount(r.refunded, r.currency), r.currency), currency: r.currency },
  disbursed: money(r.disbursed, r.currency),
  requestedAt: r.requested_at,
  updatedAt: r.updated_at,
});

/** A CapitalRequest as the fields of its `view` text, in this order (amounts in the request's currency). */
type RequestViewFields = readonly [
  id: string,
  ventureId: string,
  currency: string,
  amount: string,
  instrument: string,
  purpose: string,
  status: string,
  committed: string,
  captured: string,
  disbursed: string,
  requestedAt: string,
  updatedAt: string,
];

/** The `view` text a request row carries: its CapitalRequest, as `requestOfView` reads it back. */
export const requestViewText = (r: CapitalRequestView): string =>
  JSON.stringify([
    r.id,
    r.ventureId,
    r.amount.currency,
    r.amount.amount,
    r.instrument,
    r.purpose,
    r.status,
    r.committed.amount,
    r.captured.amount,
    r.disbursed.amount,
    r.requestedAt,
    r.updatedAt,
  ] satisfies RequestViewFields);

/** The CapitalRequest of one parsed `view` text. */
export function requestOfView(f: RequestViewFields): CapitalRequestView {
  const currency = f[2];
  return {
    id: f[0],
    ventureId: f[1],
    amount: { amount: f[3], currency },
    instrument: f[4],
    purpose: f[5],
    status: f[6],
    committed: { amount: f[7], currency },
    captured: { amount: f[8], currency },
    disbursed: { amount: f[9], currency },
    requestedAt: f[10],
    updatedAt: f[11],
  };
}

/** The CapitalRequests of comma-joined `view` texts (SQL `string_agg(view, ',')`; NULL: none). */
export const requestsOfJoinedViews = (joined: string | null | undefined): CapitalRequestView[] =>
  parseJoined<RequestViewFields>(joined).map(requestOfView);

export async function capitalRequestById(db: Queryable, tenant: string, id: string): Promise<CapitalRequestView | undefined> {
  const res = await db.query<RequestRow>(`SELECT ${COLUMNS} FROM rm_capital_requests c WHERE c.tenant = $1 AND c.id = $2`, [tenant, id]);
  return res.rows[0] ? toRequest(res.rows[0]) : undefined;
}

/** Each venture's requests, oldest first (one query for any number of ventures). */
export async function capitalRequestsByVentureIds(db: Queryable, tenant: string, ventureIds: readonly string[]): Promise<Map<string, CapitalRequestView[]>> {
  const out = new Map<string, CapitalRequestView[]>(ventureIds.map((id) => [id, []]));
  if (ventureIds.length === 0) return out;
  const res = await preparedQuery<RequestRow>(
    db,
    `SELECT ${COLUMNS} FROM rm_capital_requests c WHERE c.tenant = $1 AND c.venture_id = ANY($2::text[]) ORDER BY c.venture_id, c.requested_at, c.id`,
    [tenant, [...ventureIds]],
  );
  for (const r of res.rows) out.get(r.venture_id)?.push(toRequest(r));
  return out;
}

export interface CapitalRequestsFilter {
  readonly ventureId?: string | null;
  readonly status?: string | null;
}

const REQUESTS_FILTER = 'c.tenant = $1 AND ($2::text IS NULL OR c.venture_id = $2) AND ($3::text IS NULL OR c.status = $3)';

/** Requests oldest first (requested_at, id), keyset-paginated, optionally of one venture or status. */
export async function capitalRequestsKeysetPage(
  db: Queryable,
  tenant: string,
  args: CapitalRequestsFilter & { first?: number | null; after?: string | null },
): Promise<KeysetPage<CapitalRequestView>> {
  const first = pageSize(args.first);
  const after = decodeCursor(args.after, ['string', 'string']);
  const params: unknown[] = [tenant, args.ventureId ?? null, args.status ?? null];
  const keyset = after ? ` AND (c.requested_at, c.id) > ($4::timestamptz, $5)` : '';
  const pageParams = after ? [...params, after[0], after[1], first + 1] : [...params, first + 1];
  const page = await db.query<RequestRow>(
    `SELECT ${COLUMNS} FROM rm_capital_requests c WHERE ${REQUESTS_FILTER}${keyset} ORDER BY c.requested_at, c.id LIMIT $${pageParams.length}`,
    pageParams,
  );
  return toKeysetPage(page.rows, first, toRequest, (r) => encodeCursor([r.requested_at, r.id]));
}

/** How many requests match the filter. */
export async function capitalRequestsCount(db: Queryable, tenant: string, filter: CapitalRequestsFilter = {}): Promise<number> {
  const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM rm_capital_requests c WHERE ${REQUESTS_FILTER}`, [
    tenant,
    filter.ventureId ?? null,
    filter.status ?? null,
  ]);
  return count.rows[0]?.n ?? 0;
}

/** A keyset page with the total count of the filter. */
export async function capitalRequestsPage(
  db: Queryable,
  tenant: string,
  args: CapitalRequestsFilter & { first?: number | null; after?: string | null },
): Promise<Connection<CapitalRequestView>> {
  const page = await capitalRequestsKeysetPage(db, tenant, args);
  return { ...page, totalCount: await capitalRequestsCount(db, tenant, args) };
}

export interface CapitalDashboard {
  readonly requests: number;
  readonly byStatus: { readonly status: string; readonly count: number }[];
  readonly totals: { readonly currency: string; readonly requested: string; readonly committed: string; readonly captured: string; readonly disbursed: string }[];
}

/** Counts by status and totals per currency over the requests of the ventures matching the filter. */
export async function capitalDashboard(db: Queryable, tenant: string, filter: DashboardFilter = {}): Promise<CapitalDashboard> {
  const params: unknown[] = [tenant];
  const facets: string[] = [];
  for (const [column, value] of [['sector', filter.sector], ['country', filter.country], ['stage', filter.stage]] as const) {
    if (value == null) continue;
    params.push(value);
    facets.push(`v.${column} = $${params.length}`);
  }
  const requests = `SELECT c.* FROM rm_capital_requests c WHERE c.tenant = $1${
    facets.length === 0 ? '' : ` AND EXISTS (SELECT 1 FROM rm_capital_ventures v WHERE v.venture_id = c.venture_id AND v.tenant = $1 AND ${facets.join(' AND ')})`
  }`;
  const byStatus = await db.query<{ status: string; n: number }>(`WITH r AS (${requests}) SELECT status, count(*)::int AS n FROM r GROUP BY status ORDER BY status COLLATE "C"`, params);
  const totals = await db.query<{ currency: string; requested: string; committed: string; captured: string; disbursed: string }>(
    `WITH r AS (${requests})
     SELECT currency, sum(requested)::text AS requested, sum(committed)::text AS committed,
            (sum(captured) - sum(refunded))::text AS captured, sum(disbursed)::text AS disbursed
     FROM r GROUP BY currency ORDER BY currency COLLATE "C"`,
    params,
  );
  return {
    requests: byStatus.rows.reduce((n, r) => n + r.n, 0),
    byStatus: byStatus.rows.map((r) => ({ status: r.status, count: r.n })),
    totals: totals.rows.map((t) => ({
      currency: t.currency,
      requested: money(t.requested, t.currency).amount,
      committed: money(t.committed, t.currency).amount,
      captured: money(t.captured, t.currency).amount,
      disbursed: money(t.disbursed, t.currency).amount,
    })),
  };
}
