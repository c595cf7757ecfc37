/** The `extensions.code` values a client can see (the contract's list plus GraphQL's own and NOT_IMPLEMENTED). */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'CONFLICT',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'STALE_READ',
  'INTERNAL',
  'NOT_IMPLEMENTED',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error the API layer raises itself; its message is meant for the client. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Safe extra facts for the client's `extensions` (retryAfterSeconds). */
    readonly extensions?: Readonly<Record<string, string | number>>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const unauthenticated = (reason: string): ApiError => new ApiError('UNAUTHENTICATED', reason);

export const notImplemented = (what: string, by: string): ApiError =>
  new ApiError('NOT_IMPLEMENTED', `${what} is not implemented yet: ${by} adds it`);

export const badUserInput = (field: string, message: string): ApiError => new ApiError('BAD_USER_INPUT', message, field);
