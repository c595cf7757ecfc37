import { ResolveField, Resolver } from '@nestjs/graphql';
import { scopeOf } from '../app/graphql/request-scope';
import { pageSize, optionalCursor } from './args';
import { authorize } from './access/roles';
import { decodePositionCursor, encodePositionCursor } from './audit/cursor';
import type { VentureView } from './read-models.port';
import { readOf } from './request/read-request';

/**
 * The nested fields of a venture: read along with its page when it came in one (no look-up, no promise), else
 * batched per request through DataLoaders (a page of N ventures costs one statement per field, not N). A
 * venture rebuilt as of an instant answers them as of the same instant.
 * No parameter decorators: Nest then calls these directly (its fast path for field resolvers).
 */
@Resolver('Venture')
export class VentureFieldsResolver {
  @ResolveField('gedsiMetrics')
  gedsiMetrics(venture: VentureView, _args: unknown, context: unknown) {
    const principal = scopeOf(context).principal();
    const read = readOf(context);
    if (venture.asOf !== undefined) return read.api.timeTravel.metrics(principal.tenant, venture.id, venture.asOf);
    const loaders = read.loaders(principal);
    return loaders.pageMetrics.get(venture.id) ?? loaders.metrics.load(venture.id);
  }

  @ResolveField('capitalRequests')
  capitalRequests(venture: VentureView, _args: unknown, context: unknown) {
    const principal = scopeOf(context).principal();
    const read = readOf(context);
    if (venture.asOf !== undefined) return read.api.timeTravel.capitalRequests(principal.tenant, venture.id, venture.asOf);
    const loaders = read.loaders(principal);
    return loaders.pageCapitalRequests.get(venture.id) ?? loaders.capitalByVenture.load(venture.id);
  }

  @ResolveField('history')
  async history(venture: VentureView, args: Record<string, unknown>, context: unknown) {
    const principal = scopeOf(context).principal();
    authorize(principal, 'Venture.history');
    const loaders = readOf(context).loaders(principal);
    const first = pageSize(args['first']);
    const cursor = optionalCursor(args['after']);
    const streamId = `venture-${venture.id}`;
    const request = { streamId, first, after: cursor === undefined ? undefined : decodePositionCursor(cursor), asOf: venture.asOf };
    const events = await loaders.history.load(request);
    const edges = events.slice(0, first).map((node) => ({ node, cursor: encodePositionCursor(node.position) }));
    return {
      edges,
      pageInfo: { hasNextPage: events.length > first, endCursor: edges[edges.length - 1]?.cursor ?? null },
      totalCount: () => loaders.historyLength.load(JSON.stringify([streamId, venture.asOf ?? ''])),
    };
  }
}
