import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import { MercuriusDriver } from '@nestjs/mercurius';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../infra/logger';
import { DateTimeScalar, JSONScalar } from '../../read-api/scalars';
import { servedTypeDefs } from '../../read-api/schema/served-schema';
import { createErrorFormatter } from './error-formatter';
import { CORRELATION_HEADER, createRequestScope, type RequestScope } from './request-scope';

/** Schema-first: the SDL in `src/read-api/schema` is the schema; resolvers attach to it by name. */
export function graphqlOptions(authSecret: string, logger: Logger): MercuriusDriverConfig {
  return {
    driver: MercuriusDriver,
    typeDefs: servedTypeDefs(),
    resolvers: { DateTime: DateTimeScalar, JSON: JSONScalar },
    path: '/graphql',
    graphiql: false,
    queryDepth: 12,
    context: async (request: FastifyRequest, reply: FastifyReply): Promise<{ scope: RequestScope }> => {
      const scope = await createRequestScope(request, authSecret);
      void reply.header(CORRELATION_HEADER, scope.correlationId);
      return { scope };
    },
    errorFormatter: createErrorFormatter(logger),
  };
}
