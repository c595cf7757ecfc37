import { verifyToken } from '../../app/auth/jwt';
import { tokenCommand } from './token';

const secret = 'c'.repeat(40);

async function run(argv: string[], env: NodeJS.ProcessEnv = { AUTH_JWT_SECRET: secret }) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await tokenCommand(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
  return { code, out, err: err.join('\n') };
}

describe('the token command', () => {
  it('prints a token the server accepts, with the given subject, tenant and roles', async () => {
    const { code, out } = await run(['--sub', 'alice', '--tenant', 'demo', '--roles', 'admin,auditor']);
    expect(code).toBe(0);
    await expect(verifyToken(out[0] ?? '', secret)).resolves.toEqual({ sub: 'alice', tenant: 'demo', roles: ['admin', 'auditor'] });
  });

  it('refuses unknown roles, missing claims and an unknown option', async () => {
    expect((await run(['--sub', 'alice', '--tenant', 'demo', '--roles', 'root'])).err).toMatch(/unknown roles: root/);
    expect((await run(['--tenant', 'demo', '--roles', 'admin'])).err).toMatch(/--sub is required/);
    const unknown = await run(['--sub', 'a', '--tenant', 'b', '--roles', 'admin', '--forever']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Unknown option '--forever'/);
  });

  it('needs the secret the server runs with', async () => {
    const missing = await run(['--sub', 'alice', '--tenant', 'demo', '--roles', 'admin'], {});
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/AUTH_JWT_SECRET is not set/);
    expect((await run(['--sub', 'alice', '--tenant', 'demo', '--roles', 'admin'], { AUTH_JWT_SECRET: 'short' })).err).toMatch(/at least 32/);
  });
});
