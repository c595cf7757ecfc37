import { SpanStatusCode } from '@opentelemetry/api';
import { Kind, type DocumentNode } from 'graphql';
import type { MercuriusContext, onResolutionHookHandler, preExecutionHookHandler } from 'mercurius';
import { serverSpanOf } from '../../infra/observability/http-tracing';
import { graphqlDuration } from '../../infra/observability/metrics';
import { RequestScope } from './request-scope';

const started = new WeakMap<MercuriusContext, { operation: string; type: string; at: bigint }>();

function describe(document: DocumentNode): { operation: string; type: string } {
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) return { operation: definition.name?.value ?? 'anonymous', type: definition.operation };
  }
  return { operation: 'anonymous', type: 'unknown' };
}

/**
 * GraphQL operation latency by operation name (gedsi_graphql_operation_duration_seconds), and the request's
 * server span named after the operation (`graphql <operationName>`) with its type and correlation id.
 */
const preExecution: preExecutionHookHandler = (_schema, document, context) => {
  const described = describe(document);
  started.set(context, { ...described, at: process.hrtime.bigint() });
  const span = serverSpanOf(context.reply?.request);
  if (span === undefined) return;
  const scope: unknown = (context as unknown as { scope?: unknown }).scope;
  span.updateName(`graphql ${described.operation === 'anonymous' ? described.type : described.operation}`).setAttributes({
    'graphql.operation.name': described.operation,
    'graphql.operation.type': described.type,
    ...(scope instanceof RequestScope && { 'correlation.id': scope.correlationId }),
  });
};

/** A response with errors marks the server span as failed (GraphQL answers 200 with `errors`). */
const onResolution: onResolutionHookHandler = (execution, context) => {
  const errors = execution.errors ?? [];
  if (errors.length > 0) {
    serverSpanOf(context.reply?.request)
      ?.setAttribute('graphql.error.count', errors.length)
      .setStatus({ code: SpanStatusCode.ERROR, message: errors[0]?.message ?? 'GraphQL error' });
  }
  const start = started.get(context);
  if (!start) return;
  started.delete(context);
  graphqlDuration.observe({ operation: start.operation, type: start.type }, Number(process.hrtime.bigint() - start.at) / 1e9);
};

export const operationMetricsHooks = { preExecution, onResolution };
