import { HttpException } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { DomainError } from '../../shared/decider';
import { SchemaValidationError } from '../../shared/schemas/schema-validation-error';
import { EventStoreArgumentError, WrongExpectedRevisionError } from '../../write-model/event-store/event-store.port';
import { AuthenticationError } from '../auth/authentication-error';
import { ApiError, type ErrorCode } from './api-error';

/** What a client may learn about one error. `internal` marks errors to log: their message is never shown. */
export interface ClientError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly field?: string;
  readonly internal?: true;
  readonly extensions?: Readonly<Record<string, string | number>>;
}

export const GENERIC_INTERNAL_MESSAGE = 'internal error: the service logged it with the correlation id';

const HTTP_CODES: Readonly<Record<number, ErrorCode>> = { 400: 'BAD_USER_INPUT', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 429: 'RATE_LIMITED' };

/** `/changes/name` -> `name`; JSON-pointer escapes undone. */
export function fieldOfPointer(pointer: string): string | undefined {
  const segment = pointer.split('/').filter((s) => s !== '').pop();
  return segment?.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Classifies an error thrown anywhere below GraphQL execution (resolvers, handlers, the store). */
export function classifyThrown(error: unknown): ClientError {
  if (error instanceof ApiError) {
    const client = withField(error.code, error.message, error.field);
    return error.extensions === undefined ? client : { ...client, extensions: error.extensions };
  }
  if (error instanceof DomainError) return withField(error.code, error.message, error.field);
  if (error instanceof SchemaValidationError) {
    const first = error.issues[0];
    const field = first === undefined ? undefined : fieldOfPointer(first.path);
    const message = error.issues.map((i) => `${fieldOfPointer(i.path) ?? 'input'} ${i.message}`).slice(0, 10).join('; ');
    return withField('BAD_USER_INPUT', message, field);
  }
  if (error instanceof WrongExpectedRevisionError) return { code: 'CONFLICT', message: error.message };
  if (error instanceof EventStoreArgumentError) return { code: 'BAD_USER_INPUT', message: error.message };
  if (error instanceof AuthenticationError) return { code: 'UNAUTHENTICATED', message: error.reason };
  if (error instanceof HttpException) {
    const code = HTTP_CODES[error.getStatus()];
    if (code !== undefined) return { code, message: error.message };
  }
  const http = httpClientError(error);
  if (http !== undefined) return http;
  return { code: 'INTERNAL', message: GENERIC_INTERNAL_MESSAGE, internal: true };
}

/** Fastify's own refusals (body too large, bad JSON, wrong content type) are the client's doing and say so safely. */
function httpClientError(error: unknown): ClientError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { statusCode, code } = error as { statusCode?: unknown; code?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  if (typeof code !== 'string' || !/^(FST_|MER_)/.test(code)) return undefined;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { code: 'BAD_USER_INPUT', message: 'the request body is too large' };
  return { code: 'BAD_USER_INPUT', message: error.message.slice(0, 300) };
}

/**
 * Classifies a GraphQL-level error: a parse error, a validation error, a variable that does not fit its type,
 * or an error raised by a resolver (its `originalError`).
 */
export function classifyGraphQLError(error: GraphQLError): ClientError {
  // A literal a custom scalar refuses (`asOf: "yesterday"`): graphql-js keeps the scalar's error as the
  // original one, but it is the document that is invalid, like any other literal of the wrong type.
  if (error.path === undefined && error.message.startsWith('Expected value of type')) return { code: 'GRAPHQL_VALIDATION_FAILED', message: error.message };
  if (!error.message.startsWith('Variable "$')) {
    const original = error.originalError;
    if (original !== undefined && !(original instanceof GraphQLError)) return classifyThrown(original);
  }
  if (error.message.startsWith('Syntax Error')) return { code: 'GRAPHQL_PARSE_FAILED', message: error.message };
  if (error.message.startsWith('Variable "$')) {
    // Variable "$input" got invalid value "x" at "input.value"; Float cannot represent ...
    const at = /got invalid value .* at "([^"]+)"/.exec(error.message)?.[1]?.split('.').pop()?.replace(/\[\d+\]$/, '');
    const inner = /Field "([^"]+)" (?:of required type|is not defined by type)/.exec(error.message)?.[1];
    const named = /^Variable "\$([A-Za-z0-9_]+)"/.exec(error.message)?.[1];
    return withField('BAD_USER_INPUT', error.message, inner ?? at ?? named);
  }
  if (error.path === undefined) return { code: 'GRAPHQL_VALIDATION_FAILED', message: error.message };
  return { code: 'INTERNAL', message: GENERIC_INTERNAL_MESSAGE, internal: true };
}

const withField = (code: ErrorCode, message: string, field: string | undefined): ClientError =>
  field === undefined ? { code, message } : { code, message, field };
