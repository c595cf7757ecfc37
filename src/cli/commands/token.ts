import { parseArgs } from 'node:util';
import { issueDevToken } from '../../app/auth/jwt';
import { MIN_JWT_SECRET_LENGTH } from '../../config/config';
import { ROLES } from '../../read-api/access/roles';

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const USAGE = `usage: npm run cli -- token --sub <subject> --tenant <tenant> --roles <role[,role...]> [--ttl <seconds>]
  Prints an HS256 bearer token signed with AUTH_JWT_SECRET (roles: ${ROLES.join(', ')}).`;

/**
 * `token`: a bearer token for development and scripts, signed with the configured AUTH_JWT_SECRET (the
 * server must run with the same secret). Returns the exit code.
 */
export async function tokenCommand(argv: readonly string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: { sub?: string; tenant?: string; roles?: string; ttl?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { sub: { type: 'string' }, tenant: { type: 'string' }, roles: { type: 'string' }, ttl: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }));
  } catch (error: unknown) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  const problems: string[] = [];
  const claim = /^[A-Za-z0-9_.:@|-]{1,100}$/;
  if (values.sub === undefined || !claim.test(values.sub)) problems.push('--sub is required: 1-100 letters, digits or _ . : @ | -');
  if (values.tenant === undefined || !claim.test(values.tenant)) problems.push('--tenant is required: 1-100 letters, digits or _ . : @ | -');
  const roles = (values.roles ?? '').split(',').map((r) => r.trim()).filter((r) => r !== '');
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (roles.length === 0) problems.push(`--roles is required: a comma-separated list of ${ROLES.join(', ')}`);
  if (unknown.length > 0) problems.push(`unknown roles: ${unknown.join(', ')} (known: ${ROLES.join(', ')})`);
  const ttl = values.ttl === undefined ? 12 * 3600 : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 30 * 24 * 3600) problems.push('--ttl must be 1 to 2592000 seconds');
  const secret = env['AUTH_JWT_SECRET']?.trim();
  if (secret === undefined || secret === '') problems.push('AUTH_JWT_SECRET is not set: export the secret the server runs with');
  else if (secret.length < MIN_JWT_SECRET_LENGTH) problems.push(`AUTH_JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} characters long`);
  if (problems.length > 0 || values.sub === undefined || values.tenant === undefined || secret === undefined) {
    io.err(`${problems.join('\n')}\n${USAGE}`);
    return 2;
  }
  io.out(await issueDevToken({ sub: values.sub, tenant: values.tenant, roles }, secret, ttl));
  return 0;
}
