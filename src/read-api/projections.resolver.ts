import { Context, Mutation, Resolver } from '@nestjs/graphql';
import { notImplemented } from '../app/graphql/api-error';
import { scopeOf } from '../app/graphql/request-scope';

@Resolver('Mutation')
export class ProjectionsResolver {
  /** Rebuilds need the projection runtime, which the projections issue adds. */
  @Mutation('rebuildProjection')
  rebuildProjection(@Context() context: unknown): never {
    scopeOf(context).principal();
    throw notImplemented('Mutation.rebuildProjection', 'the projections issue');
  }
}
