import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { scopeOf } from '../../app/graphql/request-scope';
import { readOf } from '../request/read-request';
import { authorize } from './roles';

/**
 * Runs before every root field (query, mutation, subscription): no valid token is UNAUTHENTICATED; then the
 * request is admitted once (X-Read-After well-formed, rate limit per subject); then the role matrix of
 * `roles.ts` decides, refusing with FORBIDDEN (fields it does not name are refused to everyone).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<GqlContextType>() !== 'graphql') return true;
    const gql = GqlExecutionContext.create(context);
    const info = gql.getInfo<GraphQLResolveInfo>();
    // Subscriptions check the same matrix in their resolver (see VentureChangedResolver).
    if (info.parentType.name === 'Subscription') return true;
    const graphqlContext: unknown = gql.getContext();
    const principal = scopeOf(graphqlContext).principal();
    await readOf(graphqlContext).admit(principal);
    authorize(principal, `${info.parentType.name}.${info.fieldName}`);
    return true;
  }
}
