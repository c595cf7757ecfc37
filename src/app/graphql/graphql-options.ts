import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import { MercuriusDriver } from '@nestjs/mercurius';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Logger } from '../../infra/logger';
import { queryCostRule } from '../../read-api/limits/query-cost';
import type { ReadApi } from '../../read-api/read-api';
import { READ_AFTER_HEADER, ReadRequest } from '../../read-api/request/read-request';
import { DateTimeScalar, JSONScalar } from '../../read-api/scalars';
import { servedTypeDefs } from '../../read-api/schema/served-schema';
import { createErrorFormatter } from './error-formatter';
import { lazyFieldResolvers } from './lazy-fields';
import { operationMetricsHooks } from './operation-metrics';
import { CORRELATION_HEADER, createRequestScope, type RequestScope } from './request-scope';

export interface GraphQLContext {
  readonly scope: RequestScope;
  readonly read: ReadRequest;
}

/**
 * Schema-first: the SDL in `src/read-api/schema` is the schema; resolvers attach to it by name. In production
 * mode introspection and GraphiQL are off; everywhere queries are bounded in depth and cost.
 */
export function graphqlOptions(authSecret: string, logger: Logger, readApi: ReadApi): MercuriusDriverConfig {
  const { production, limits } = readApi;
  const typeDefs = servedTypeDefs();
  return {
    driver: MercuriusDriver,
    typeDefs,
    resolvers: { DateTime: DateTimeScalar, JSON: JSONScalar, ...lazyFieldResolvers(typeDefs, ['totalCount']) },
    path: '/graphql',
    graphiql: !production,
    // A query seen twice is compiled (graphql-jit) in the background, put off only while the event loop has not
    // been idle at all since the last try, and runs compiled from then on: about a fifth less CPU per request
    // (bench/RESULTS.md). In the background, not on the request that compiles it, since that request would skip
    // graphql-js's check of its variables (their errors would read differently once).
    jit: { minCount: 2, eluThreshold: 1 },
    queryDepth: limits.maxQueryDepth,
    validationRules: [queryCostRule({ maxCost: limits.maxQueryCost }), ...(production ? [NoSchemaIntrospectionCustomRule] : [])],
    context: async (request: FastifyRequest, reply: FastifyReply): Promise<GraphQLContext> => {
      const scope = await createRequestScope(request, authSecret);
      void reply.header(CORRELATION_HEADER, scope.correlationId);
      return { scope, read: new ReadRequest(readApi, request.headers[READ_AFTER_HEADER]) };
    },
    subscription: {
      // The token travels in the connection_init payload ({ authorization: "Bearer ..." } or { headers: {...} }).
      onConnect: async ({ payload }: { payload: unknown }): Promise<GraphQLContext> => ({
        scope: await createRequestScope({ headers: headersOf(payload) }, authSecret),
        read: new ReadRequest(readApi, undefined, { perConnection: true }),
      }),
    },
    errorFormatter: createErrorFormatter(logger),
    hooks: operationMetricsHooks,
  };
}

function headersOf(payload: unknown): Record<string, string | undefined> {
  if (typeof payload !== 'object' || payload === null) return {};
  const source = (payload as { headers?: unknown }).headers ?? payload;
  if (typeof source !== 'object' || source === null) return {};
  const headers: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(source)) if (typeof value === 'string') headers[key.toLowerCase()] = value;
  return headers;
}
