import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { AuthenticationError } from './authentication-error';

/** Who is calling, as the token says. Every read and write is scoped to `tenant`. */
export interface Principal {
  readonly sub: string;
  readonly tenant: string;
  readonly roles: readonly string[];
}

export { AuthenticationError } from './authentication-error';

const ALGORITHM = 'HS256';
const CLAIM_PATTERN = /^[A-Za-z0-9_.:@|-]{1,100}$/;
const encode = (secret: string): Uint8Array => new TextEncoder().encode(secret);

/**
 * Tokens this process verified, until they expire: a client sends the same token with every request, and the
 * HMAC check (a WebCrypto job) is the largest part of a small query's cost. A hit needs the same token bytes and
 * the same secret, and is refused from the second `exp` reaches, exactly as a new verification would be (the
 * other claims checked do not depend on time). Refused tokens are not remembered.
 */
const verifiedTokens = new Map<string, { readonly secret: string; readonly principal: Principal; readonly exp: number }>();
const MAX_VERIFIED_TOKENS = 10_000;
const MAX_REMEMBERED_TOKEN_LENGTH = 4096;

/** Verifies an HS256 token and returns its principal; `exp`, `sub`, `tenant` and `roles` are required. */
export async function verifyToken(token: string, secret: string): Promise<Principal> {
  const known = verifiedTokens.get(token);
  if (known !== undefined && known.secret === secret && known.exp > Math.floor(Date.now() / 1000)) return known.principal;
  return verifyTokenNow(token, secret);
}

async function verifyTokenNow(token: string, secret: string): Promise<Principal> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, encode(secret), { algorithms: [ALGORITHM], requiredClaims: ['exp', 'sub'] }));
  } catch (error: unknown) {
    throw new AuthenticationError(describeJoseError(error));
  }
  const { sub, tenant, roles } = payload;
  if (typeof sub !== 'string' || !CLAIM_PATTERN.test(sub)) throw new AuthenticationError('the token has no valid "sub" claim');
  if (typeof tenant !== 'string' || !CLAIM_PATTERN.test(tenant)) throw new AuthenticationError('the token has no valid "tenant" claim');
  if (!Array.isArray(roles) || !roles.every((role): role is string => typeof role === 'string' && role.length <= 100)) {
    throw new AuthenticationError('the token has no valid "roles" claim (an array of strings)');
  }
  const principal: Principal = { sub, tenant, roles };
  if (typeof payload['exp'] === 'number' && token.length <= MAX_REMEMBERED_TOKEN_LENGTH) remember(token, { secret, principal, exp: payload['exp'] });
  return principal;
}

/** Oldest remembered first out. */
function remember(token: string, entry: { readonly secret: string; readonly principal: Principal; readonly exp: number }): void {
  verifiedTokens.delete(token);
  verifiedTokens.set(token, entry);
  const oldest = verifiedTokens.keys().next();
  if (verifiedTokens.size > MAX_VERIFIED_TOKENS && oldest.done !== true) verifiedTokens.delete(oldest.value);
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the token has no valid "${error.claim}" claim`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return `the token must be signed with ${ALGORITHM}`;
  return 'the token is malformed';
}

/** `Authorization: Bearer <token>`; anything else is refused. */
export async function principalFromAuthorization(header: unknown, secret: string): Promise<Principal> {
  if (header === undefined || header === '') throw new AuthenticationError('an Authorization: Bearer token is required');
  const match = typeof header === 'string' ? /^Bearer +([A-Za-z0-9_\-.]+)$/i.exec(header.trim()) : null;
  const token = match?.[1];
  if (token === undefined) throw new AuthenticationError('the Authorization header must be "Bearer <token>"');
  return verifyToken(token, secret);
}

/** A token for development and tests (HS256, valid for `ttlSeconds`, 12 hours by default). */
export function issueDevToken(principal: Principal, secret: string, ttlSeconds = 12 * 3600): Promise<string> {
  return new SignJWT({ tenant: principal.tenant, roles: [...principal.roles] })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(principal.sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(encode(secret));
}
