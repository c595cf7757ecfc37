import { randomUUID } from 'node:crypto';
import { AuthenticationError, principalFromAuthorization, type Principal } from '../auth/jwt';
import { ApiError, badUserInput, unauthenticated } from './api-error';

const CORRELATION_ID = /^[A-Za-z0-9_.:-]{1,100}$/;
export const CORRELATION_HEADER = 'x-correlation-id';

type AuthOutcome = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: string };

/**
 * What one GraphQL request knows about its caller: the verified token (or why it was refused) and the
 * correlation id. Resolvers ask for the principal, so a refused token fails exactly the fields that need it.
 */
export class RequestScope {
  constructor(
    readonly correlationId: string,
    private readonly auth: AuthOutcome,
    private readonly correlationProblem?: string,
  ) {}

  principal(): Principal {
    if (!this.auth.ok) throw unauthenticated(this.auth.reason);
    return this.auth.principal;
  }

  /** The correlation id for commands; a malformed `X-Correlation-Id` header is refused rather than replaced. */
  commandCorrelationId(): string {
    if (this.correlationProblem !== undefined) throw badUserInput('X-Correlation-Id', this.correlationProblem);
    return this.correlationId;
  }
}

export interface HeaderSource {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export async function createRequestScope(request: HeaderSource, secret: string): Promise<RequestScope> {
  const header = request.headers[CORRELATION_HEADER];
  const valid = typeof header === 'string' && CORRELATION_ID.test(header);
  const problem =
    header === undefined || valid ? undefined : 'X-Correlation-Id must be 1-100 letters, digits or - _ . : (one header)';
  const correlationId = valid ? header : randomUUID();
  let auth: AuthOutcome;
  try {
    auth = { ok: true, principal: await principalFromAuthorization(request.headers['authorization'], secret) };
  } catch (error: unknown) {
    if (!(error instanceof AuthenticationError)) throw error;
    auth = { ok: false, reason: error.reason };
  }
  return new RequestScope(correlationId, auth, problem);
}

/** The scope inside a resolver's GraphQL context (`{ scope }`), checked rather than assumed. */
export function scopeOf(context: unknown): RequestScope {
  const scope: unknown = typeof context === 'object' && context !== null ? (context as { scope?: unknown }).scope : undefined;
  if (!(scope instanceof RequestScope)) throw new ApiError('INTERNAL', 'request context is missing');
  return scope;
}
