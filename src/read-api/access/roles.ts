import { ApiError } from '../../app/graphql/api-error';
import type { Principal } from '../../app/auth/jwt';

/** The roles a token may carry; any other string in `roles` grants nothing. */
export const ROLES = ['founder', 'analyst', 'investor', 'auditor', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const BUSINESS: readonly Role[] = ['founder', 'analyst', 'investor', 'auditor', 'admin'];
const EVERYONE: readonly Role[] = ROLES;
/** Audit trail and time travel (a venture or dashboard as it stood at an instant, a venture's history). */
export const TIME_TRAVEL_ROLES: readonly Role[] = ['auditor', 'admin'];
const OPERATIONS: readonly Role[] = ['operator', 'admin'];

/**
 * Who may run each root field, the single source of truth: the access guard enforces it, a unit test checks it
 * names every root field of the served schema (a field missing here is refused to everyone), and docs/api.md
 * prints it. Every answer is further scoped to the token's tenant.
 */
export const ACCESS = {
  'Query.viewer': EVERYONE,
  'Query.gedsiMetricCatalog': EVERYONE,
  'Query.venture': BUSINESS,
  'Query.ventures': BUSINESS,
  'Query.searchVentures': BUSINESS,
  'Query.ventureAsOf': TIME_TRAVEL_ROLES,
  'Query.capitalRequest': BUSINESS,
  'Query.capitalRequests': BUSINESS,
  'Query.gedsiDashboard': BUSINESS,
  'Query.capitalDashboard': BUSINESS,
  'Query.auditTrail': TIME_TRAVEL_ROLES,
  'Query.projections': OPERATIONS,
  'Mutation.createVenture': ['founder', 'admin'],
  'Mutation.updateVentureProfile': ['founder', 'admin'],
  'Mutation.recordGEDSIMetric': ['founder', 'admin'],
  'Mutation.verifyGEDSIMetric': ['analyst', 'admin'],
  'Mutation.requestCapital': ['founder', 'admin'],
  'Mutation.commitInvestment': ['investor', 'admin'],
  'Mutation.capturePayment': ['operator', 'admin'],
  'Mutation.rebuildProjection': OPERATIONS,
  'Query.capitalRequestTimeline': BUSINESS,
  'Query.gedsiVerificationTasks': BUSINESS,
  'Query.sagas': OPERATIONS,
  'Mutation.registerInvestor': ['admin'],
  'Mutation.approveDueDiligence': ['analyst', 'admin'],
  'Mutation.rejectDueDiligence': ['analyst', 'admin'],
  'Mutation.cancelCapitalRequest': ['founder', 'admin'],
  'Subscription.ventureChanged': BUSINESS,
} as const satisfies Record<string, readonly Role[]>;

export type Operation = keyof typeof ACCESS;

/** Checks within a field: arguments or nested fields that need more than the root field (asOf, history). */
export const FIELD_ACCESS = {
  'DashboardFilter.asOf': TIME_TRAVEL_ROLES,
  'Venture.history': TIME_TRAVEL_ROLES,
} as const satisfies Record<string, readonly Role[]>;

export type FieldCheck = keyof typeof FIELD_ACCESS;

const lookup: ReadonlyMap<string, readonly Role[]> = new Map([...Object.entries(ACCESS), ...Object.entries(FIELD_ACCESS)]);

export const hasAnyRole = (principal: Principal, allowed: readonly Role[]): boolean =>
  principal.roles.some((role) => (allowed as readonly string[]).includes(role));

/** FORBIDDEN unless the principal holds one of the roles of `what`; unknown operations are refused to everyone. */
export function authorize(principal: Principal, what: string): void {
  const allowed = lookup.get(what);
  if (allowed === undefined || !hasAnyRole(principal, allowed)) {
    throw new ApiError('FORBIDDEN', `${what} needs one of the roles ${(allowed ?? ['(none)']).join(', ')}`);
  }
}

/** The matrix as a markdown table (docs/api.md carries it; a test keeps the two equal). */
export function renderRoleMatrix(): string {
  const rows = [...Object.entries(ACCESS), ...Object.entries(FIELD_ACCESS)].map(
    ([what, allowed]) => `| \`${what}\` | ${ROLES.map((role) => ((allowed as readonly string[]).includes(role) ? 'yes' : '')).join(' | ')} |`,
  );
  return [`| operation | ${ROLES.join(' | ')} |`, `|---|${ROLES.map(() => ':---:').join('|')}|`, ...rows].join('\n');
}
