import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { GqlContextType } from '@nestjs/graphql';

/**
 * In GraphQL, errors go back to GraphQL untouched: the error formatter classifies them and logs only the
 * unexpected ones (Nest's default handler would log every refused input as an error). HTTP routes keep
 * Nest's behaviour.
 */
@Catch()
export class GraphQLPassThroughFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() === 'graphql') return exception instanceof Error ? exception : new Error(String(exception));
    super.catch(exception, host);
    return undefined;
  }
}
