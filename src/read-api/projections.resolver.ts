import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { requiredText } from './args';
import { readOf } from './request/read-request';

@Resolver('Mutation')
export class ProjectionsResolver {
  /** Operators and admins only (AccessGuard); rebuilds run in the projector, the old read model keeps serving. */
  @Mutation('rebuildProjection')
  async rebuildProjection(@Args('name') name: unknown, @Context() context: unknown) {
    return readOf(context).api.readModels.rebuild(requiredText(name, 'name', 100));
  }
}
