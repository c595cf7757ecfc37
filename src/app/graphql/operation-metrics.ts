import { Kind, type DocumentNode } from 'graphql';
import type { MercuriusContext, onResolutionHookHandler, preExecutionHookHandler } from 'mercurius';
import { graphqlDuration } from '../../infra/observability/metrics';

const started = new WeakMap<MercuriusContext, { operation: string; type: string; at: bigint }>();

function describe(document: DocumentNode): { operation: string; type: string } {
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) return { operation: definition.name?.value ?? 'anonymous', type: definition.operation };
  }
  return { operation: 'anonymous', type: 'unknown' };
}

/** GraphQL operation latency by operation name (gedsi_graphql_operation_duration_seconds). */
const preExecution: preExecutionHookHandler = (_schema, document, context) => {
  started.set(context, { ...describe(document), at: process.hrtime.bigint() });
};

const onResolution: onResolutionHookHandler = (_execution, context) => {
  const start = started.get(context);
  if (!start) return;
  started.delete(context);
  graphqlDuration.observe({ operation: start.operation, type: start.type }, Number(process.hrtime.bigint() - start.at) / 1e9);
};

export const operationMetricsHooks = { preExecution, onResolution };
