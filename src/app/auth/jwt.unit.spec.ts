import { SignJWT } from 'jose';
import { AuthenticationError, issueDevToken, principalFromAuthorization, verifyToken } from './jwt';
import { DEV_PRINCIPAL, resolveAuth } from './dev-secret';

const secret = 's'.repeat(32);
const key = new TextEncoder().encode(secret);
const principal = { sub: 'alice', tenant: 'acme', roles: ['analyst'] };

function sign(claims: Record<string, unknown>, alg = 'HS256'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg }).sign(key);
}
const inAnHour = (): number => Math.floor(Date.now() / 1000) + 3600;

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error: unknown) {
    if (error instanceof AuthenticationError) return error.reason;
    throw error;
  }
  throw new Error('expected an AuthenticationError');
}

describe('JWT authentication', () => {
  it('accepts a token it issued and returns its principal', async () => {
    const token = await issueDevToken(principal, secret);
    await expect(verifyToken(token, secret)).resolves.toEqual(principal);
    await expect(principalFromAuthorization(`Bearer ${token}`, secret)).resolves.toEqual(principal);
  });

  it('refuses a missing or non-bearer Authorization header', async () => {
    expect(await reasonOf(principalFromAuthorization(undefined, secret))).toMatch(/Bearer token is required/);
    expect(await reasonOf(principalFromAuthorization('Basic dXNlcg==', secret))).toMatch(/must be "Bearer <token>"/);
    expect(await reasonOf(principalFromAuthorization(['Bearer a', 'Bearer b'], secret))).toMatch(/must be "Bearer <token>"/);
  });

  it('keeps refusing a token it once accepted once the token expires, and under another secret', async () => {
    jest.useFakeTimers({ now: new Date('2026-03-01T00:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const token = await issueDevToken(principal, secret, 60);
      await expect(verifyToken(token, secret)).resolves.toEqual(principal);
      expect(await reasonOf(verifyToken(token, 'y'.repeat(32)))).toBe('the token signature is invalid');
      await expect(verifyToken(token, secret)).resolves.toEqual(principal);
      jest.setSystemTime(new Date('2026-03-01T00:01:00Z'));
      expect(await reasonOf(verifyToken(token, secret))).toBe('the token has expired');
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a token signed with another secret', async () => {
    const token = await issueDevToken(principal, 'x'.repeat(32));
    expect(await reasonOf(verifyToken(token, secret))).toBe('the token signature is invalid');
  });

  it('refuses an expired token', async () => {
    const token = await issueDevToken(principal, secret, -10);
    expect(await reasonOf(verifyToken(token, secret))).toBe('the token has expired');
  });

  it('refuses a token without exp', async () => {
    const token = await sign({ sub: 'a', tenant: 't', roles: [] });
    expect(await reasonOf(verifyToken(token, secret))).toBe('the token has no valid "exp" claim');
  });

  it.each([
    ['sub', { tenant: 't', roles: [] }],
    ['tenant', { sub: 'a', roles: [] }],
    ['tenant', { sub: 'a', tenant: 'bad tenant', roles: [] }],
    ['roles', { sub: 'a', tenant: 't' }],
    ['roles', { sub: 'a', tenant: 't', roles: [1] }],
  ])('refuses a token without a valid %s claim', async (claim, claims) => {
    const token = await sign({ ...claims, exp: inAnHour() });
    expect(await reasonOf(verifyToken(token, secret))).toBe(`the token has no valid "${claim}" claim${claim === 'roles' ? ' (an array of strings)' : ''}`);
  });

  it('refuses another algorithm and garbage', async () => {
    const token = await sign({ sub: 'a', tenant: 't', roles: [], exp: inAnHour() }, 'HS512');
    expect(await reasonOf(verifyToken(token, secret))).toBe('the token must be signed with HS256');
    expect(await reasonOf(verifyToken('not.a.token', secret))).toBe('the token is malformed');
  });
});

describe('resolveAuth', () => {
  it('uses the configured secret and prints nothing', async () => {
    await expect(resolveAuth({ authJwtSecret: secret, nodeEnv: 'production' })).resolves.toEqual({ secret, banner: [] });
  });

  it('generates a development secret and a working admin token when none is configured', async () => {
    const setup = await resolveAuth({ nodeEnv: 'development' });
    expect(setup.secret.length).toBeGreaterThanOrEqual(32);
    expect(setup.banner.join('\n')).toMatch(/DEVELOPMENT secret generated for this run only/);
    const token = /Bearer (\S+)$/.exec(setup.banner[2] ?? '')?.[1] ?? '';
    await expect(verifyToken(token, setup.secret)).resolves.toEqual(DEV_PRINCIPAL);
  });

  it('never generates a secret in production', async () => {
    await expect(resolveAuth({ nodeEnv: 'production' })).rejects.toThrow(/required in production/);
  });
});
