import { Context, Query, Resolver } from '@nestjs/graphql';
import { notImplemented } from '../app/graphql/api-error';
import { scopeOf } from '../app/graphql/request-scope';
import { metricCatalog } from '../shared/gedsi-catalog';

const LATER = 'the read-model issue (projections and queries)';

/**
 * Queries. Only the catalog and `viewer` exist so far; the rest read projections that a later issue builds,
 * and until then they fail loudly with NOT_IMPLEMENTED rather than answer with made-up data.
 */
@Resolver('Query')
export class QueryResolver {
  @Query('gedsiMetricCatalog')
  gedsiMetricCatalog(@Context() context: unknown) {
    scopeOf(context).principal();
    return metricCatalog().map(({ metricId, name, description, unit, min, max }) => ({ metricId, name, description, unit, min, max }));
  }

  @Query('viewer')
  viewer(@Context() context: unknown) {
    const { sub, tenant, roles } = scopeOf(context).principal();
    return { subject: sub, tenant, roles };
  }

  @Query('venture')
  venture(@Context() context: unknown): never {
    return refuse(context, 'Query.venture');
  }

  @Query('ventures')
  ventures(@Context() context: unknown): never {
    return refuse(context, 'Query.ventures');
  }

  @Query('searchVentures')
  searchVentures(@Context() context: unknown): never {
    return refuse(context, 'Query.searchVentures');
  }

  @Query('ventureAsOf')
  ventureAsOf(@Context() context: unknown): never {
    return refuse(context, 'Query.ventureAsOf');
  }

  @Query('capitalRequest')
  capitalRequest(@Context() context: unknown): never {
    return refuse(context, 'Query.capitalRequest');
  }

  @Query('capitalRequests')
  capitalRequests(@Context() context: unknown): never {
    return refuse(context, 'Query.capitalRequests');
  }

  @Query('gedsiDashboard')
  gedsiDashboard(@Context() context: unknown): never {
    return refuse(context, 'Query.gedsiDashboard');
  }

  @Query('capitalDashboard')
  capitalDashboard(@Context() context: unknown): never {
    return refuse(context, 'Query.capitalDashboard');
  }

  @Query('auditTrail')
  auditTrail(@Context() context: unknown): never {
    return refuse(context, 'Query.auditTrail');
  }

  @Query('projections')
  projections(@Context() context: unknown): never {
    return refuse(context, 'Query.projections', 'the projections issue');
  }
}

/** Unauthenticated callers learn nothing, not even what is missing. */
function refuse(context: unknown, field: string, by: string = LATER): never {
  scopeOf(context).principal();
  throw notImplemented(field, by);
}
