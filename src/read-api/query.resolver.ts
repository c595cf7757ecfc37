import { Inject } from '@nestjs/common';
import { Args, Context, Info, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Principal } from '../app/auth/jwt';
import { badUserInput } from '../app/graphql/api-error';
import { scopeOf } from '../app/graphql/request-scope';
import { CLOCK, type Clock } from '../app/tokens';
import { metricCatalog } from '../shared/gedsi-catalog';
import { CAPITAL_REQUEST_STATUSES } from './capital-statuses';
import { aggregateId, defined, objectArg, optionalCursor, optionalInstant, optionalText, pageSize, pastInstant, requiredText } from './args';
import { authorize } from './access/roles';
import { auditPage } from './audit/audit.queries';
import { decodePositionCursor } from './audit/cursor';
import { cachedAnswer } from './cache/cached-answer';
import { connectionOf } from './connections';
import { dashboardQuery, filterKey, ventureFilter, ventureFilterKey } from './dashboards/dashboard-filter';
import { READ_MODEL, type VentureFilter } from './read-models.port';
import { readOf, type ReadRequest } from './request/read-request';
import { selectedFieldNames } from './selection';

/**
 * The contract's queries. Roles are checked by the AccessGuard before any of these runs; every read here is
 * scoped to the token's tenant (another tenant's venture is null, exactly like a missing one).
 */
@Resolver('Query')
export class QueryResolver {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  @Query('gedsiMetricCatalog')
  gedsiMetricCatalog() {
    return metricCatalog().map(({ metricId, name, description, unit, min, max }) => ({ metricId, name, description, unit, min, max }));
  }

  @Query('viewer')
  viewer(@Context() context: unknown) {
    const { sub, tenant, roles } = scopeOf(context).principal();
    return { subject: sub, tenant, roles };
  }

  @Query('venture')
  async venture(@Args('id') id: unknown, @Context() context: unknown) {
    const principal = scopeOf(context).principal();
    return readOf(context).loaders(principal).ventures.load(aggregateId(id));
  }

  @Query('ventures')
  async ventures(@Args() args: Record<string, unknown>, @Context() context: unknown, @Info() info: GraphQLResolveInfo) {
    const principal = scopeOf(context).principal();
    const read = readOf(context);
    const [filter, first, after] = [ventureFilter(args['filter']), pageSize(args['first']), optionalCursor(args['after'])];
    const page = await venturesPage(read, principal, filter, first, after, selectedFieldNames(info, ['edges', 'node']));
    return connectionOf(page, () =>
      cachedAnswer(read, READ_MODEL.ventures, `ventures-count:${principal.tenant}:${ventureFilterKey(filter)}`, () =>
        read.api.readModels.venturesCount(principal.tenant, filter),
      ),
    );
  }

  @Query('searchVentures')
  async searchVentures(@Args() args: Record<string, unknown>, @Context() context: unknown) {
    const principal = scopeOf(context).principal();
    const read = readOf(context);
    const text = requiredText(typeof args['text'] === 'string' ? args['text'].trim() : args['text'], 'text');
    const [filter, first, after] = [ventureFilter(args['filter']), pageSize(args['first']), optionalCursor(args['after'])];
    await read.caughtUp(read.api.readModels.searchProjection ?? READ_MODEL.search);
    const page = await read.api.readModels.searchVentures(principal.tenant, text, filter, first, after);
    return connectionOf(page, page.totalCount);
  }

  @Query('ventureAsOf')
  async ventureAsOf(@Args('id') id: unknown, @Args('asOf') asOf: unknown, @Context() context: unknown) {
    const principal = scopeOf(context).principal();
    return readOf(context).api.timeTravel.venture(principal.tenant, aggregateId(id), pastInstant(asOf, 'asOf', this.clock.now()));
  }

  @Query('capitalRequest')
  async capitalRequest(@Args('id') id: unknown, @Context() context: unknown) {
    const principal = scopeOf(context).principal();
    return readOf(context).loaders(principal).capitalById.load(aggregateId(id));
  }

  @Query('capitalRequests')
  async capitalRequests(@Args() args: Record<string, unknown>, @Context() context: unknown) {
    const principal = scopeOf(context).principal();
    const read = readOf(context);
    const filter = defined({
      ventureId: args['ventureId'] === undefined || args['ventureId'] === null ? undefined : aggregateId(args['ventureId'], 'ventureId'),
      status: optionalEnumValue(args['status']),
    });
    const [first, after] = [pageSize(args['first']), optionalCursor(args['after'])];
    await read.caughtUp(READ_MODEL.capital);
    const page = await read.api.readModels.capitalRequestsPage(principal.tenant, filter, first, after);
    return connectionOf(page, () =>
      cachedAnswer(read, READ_MODEL.capital, `capital-requests-count:${principal.tenant}:${JSON.stringify([filter.ventureId ?? null, filter.status ?? null])}`, () =>
        read.api.readModels.capitalRequestsCount(principal.tenant, filter),
      ),
    );
  }

  @Query('gedsiDashboard')
  async gedsiDashboard(@Args('filter') raw: unknown, @Context() context: unknown) {
    const principal = scopeOf(context).principal();
    const read = readOf(context);
    const { filter, asOf } = dashboardQuery(raw, this.clock.now());
    if (asOf !== undefined) {
      authorize(principal, 'DashboardFilter.asOf');
      return read.api.replay.gedsi(principal.tenant, filter, asOf);
    }
    return cachedAnswer(read, READ_MODEL.gedsi, `gedsi:${principal.tenant}:${filterKey(filter)}`, () =>
      read.api.readModels.gedsiDashboard(principal.tenant, filter),
    );
  }

  @Query('capitalDashboard')
  async capitalDashboard(@Args('filter') raw: unknown, @Context() context: unknown) {
    const principal = scopeOf(context).principal();
    const read = readOf(context);
    const { filter, asOf } = dashboardQuery(raw, this.clock.now());
    if (asOf !== undefined) {
      authorize(principal, 'DashboardFilter.asOf');
      return read.api.replay.capital(principal.tenant, filter, asOf);
    }
    return cachedAnswer(read, READ_MODEL.capital, `capital:${principal.tenant}:${filterKey(filter)}`, () =>
      read.api.readModels.capitalDashboard(principal.tenant, filter),
    );
  }

  @Query('auditTrail')
  async auditTrail(@Args() args: Record<string, unknown>, @Context() context: unknown) {
    const principal = scopeOf(context).principal();
    const input = objectArg(args['filter'], 'filter');
    const types = input['types'];
    if (types !== undefined && types !== null && (!Array.isArray(types) || types.length > 50 || !types.every((t) => typeof t === 'string' && t.length <= 100))) {
      throw badUserInput('types', 'types must list at most 50 event types');
    }
    const filter = defined({
      streamId: optionalText(input['streamId'], 'streamId'),
      types: Array.isArray(types) ? (types as string[]) : undefined,
      actor: optionalText(input['actor'], 'actor'),
      correlationId: optionalText(input['correlationId'], 'correlationId'),
      from: optionalInstant(input['from'], 'from'),
      to: optionalInstant(input['to'], 'to'),
    });
    if (filter.from !== undefined && filter.to !== undefined && Date.parse(filter.from) > Date.parse(filter.to)) {
      throw badUserInput('from', 'from must not be after to');
    }
    const after = optionalCursor(args['after']);
    return auditPage(readOf(context).api.pool, principal.tenant, filter, pageSize(args['first']), after === undefined ? undefined : decodePositionCursor(after));
  }

  @Query('projections')
  async projections(@Context() context: unknown) {
    return readOf(context).api.readModels.projections();
  }
}

function optionalEnumValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(CAPITAL_REQUEST_STATUSES as readonly string[]).includes(value)) {
    throw badUserInput('status', `status must be one of ${CAPITAL_REQUEST_STATUSES.join(', ')}`);
  }
  return value;
}

/**
 * A page of ventures. When the client selected the nested metrics or capital requests and the read models can
 * read them along, the page and those lists come in one statement and the request's loaders keep them, so the
 * nested fields answer at once with no further round trip; otherwise the loaders batch each field (one
 * statement per field).
 */
async function venturesPage(read: ReadRequest, principal: Principal, filter: VentureFilter, first: number, after: string | undefined, selected: ReadonlySet<string>) {
  const models = read.api.readModels;
  const nested = { metrics: selected.has('gedsiMetrics'), capitalRequests: selected.has('capitalRequests') };
  if (models.venturesPageWithNested === undefined || (!nested.metrics && !nested.capitalRequests)) {
    await read.caughtUp(READ_MODEL.ventures);
    return models.venturesPage(principal.tenant, filter, first, after);
  }
  await Promise.all([
    read.caughtUp(READ_MODEL.ventures),
    nested.metrics && read.caughtUp(READ_MODEL.gedsi),
    nested.capitalRequests && read.caughtUp(READ_MODEL.capital),
  ]);
  const found = await models.venturesPageWithNested(principal.tenant, filter, first, after, nested);
  const loaders = read.loaders(principal);
  for (const [ventureId, metrics] of found.metrics ?? []) loaders.pageMetrics.set(ventureId, metrics);
  for (const [ventureId, requests] of found.capitalRequests ?? []) loaders.pageCapitalRequests.set(ventureId, requests);
  return found.page;
}
