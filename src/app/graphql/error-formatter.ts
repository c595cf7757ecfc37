import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../../infra/logger';
import { classifyGraphQLError, type ClientError } from './classify-error';
import { scopeOf } from './request-scope';

interface FormattedResponse {
  readonly statusCode: number;
  readonly response: { data: ExecutionResult['data'] | null; errors: GraphQLFormattedError[] };
}

/**
 * Mercurius' error formatter: every error leaves with `extensions.code` (and `extensions.field` for bad input),
 * nothing else from the server side: no stack, no internal message. Unexpected errors are logged with the
 * correlation id and answered generically.
 */
export function createErrorFormatter(logger: Logger) {
  return (execution: ExecutionResult & { errors: readonly GraphQLError[] }, context: unknown): FormattedResponse => {
    const correlationId = correlationOf(context);
    let internal = false;
    const errors = execution.errors.flatMap(expand).map((error) => {
      const client = classifyGraphQLError(error);
      if (client.internal) {
        internal = true;
        logger.error({ err: error.originalError ?? error, correlationId, path: error.path }, 'unexpected error');
      }
      return format(error, client);
    });
    return { statusCode: statusCode(execution, errors, internal), response: { data: execution.data ?? null, errors } };
  };
}

/**
 * Field errors (with a path) travel in a 200 response beside the data. Errors without a path refused the request
 * itself (parse, validation, variables: 400, as mercurius does; the body limit: 413; our own failure: 500).
 */
function statusCode(execution: ExecutionResult & { errors: readonly GraphQLError[] }, errors: readonly GraphQLFormattedError[], internal: boolean): number {
  if (execution.errors.some((e) => statusOf(e.originalError) === 413)) return 413;
  if (execution.data != null || errors.some((e) => e.path !== undefined)) return 200;
  return internal ? 500 : 400;
}

/** Mercurius wraps parse and validation failures in one error that carries the real ones in `errors`. */
function expand(error: GraphQLError): GraphQLError[] {
  const inner: unknown = (error.originalError as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(inner)) return [error];
  // Plain errors in there are mercurius' own request checks (a mutation over GET): requests, not bugs.
  return inner.map((e: unknown) => (e instanceof GraphQLError ? e : new GraphQLError(e instanceof Error ? e.message : String(e))));
}

function format(error: GraphQLError, client: ClientError): GraphQLFormattedError {
  return {
    message: client.message,
    ...(error.locations !== undefined && { locations: error.locations }),
    ...(error.path !== undefined && { path: error.path }),
    extensions: { ...client.extensions, code: client.code, ...(client.field !== undefined && { field: client.field }) },
  };
}

function correlationOf(context: unknown): string | undefined {
  try {
    return scopeOf(context).correlationId;
  } catch {
    return undefined;
  }
}

function statusOf(error: unknown): number | undefined {
  const status: unknown = typeof error === 'object' && error !== null ? (error as { statusCode?: unknown }).statusCode : undefined;
  return typeof status === 'number' ? status : undefined;
}
