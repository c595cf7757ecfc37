import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../../config/config';
import { issueDevToken } from './jwt';

export interface AuthSetup {
  readonly secret: string;
  /** Lines to print at start: the generated development secret and a ready token. Empty with a configured secret. */
  readonly banner: readonly string[];
}

export const DEV_PRINCIPAL = { sub: 'dev', tenant: 'demo', roles: ['admin'] } as const;

/**
 * The configured AUTH_JWT_SECRET, or (outside production, which the config refuses without one) a random
 * secret for this run only, announced plainly with a token to try the API with.
 */
export async function resolveAuth(config: Pick<AppConfig, 'authJwtSecret' | 'nodeEnv'>): Promise<AuthSetup> {
  if (config.authJwtSecret !== undefined) return { secret: config.authJwtSecret, banner: [] };
  if (config.nodeEnv === 'production') throw new Error('AUTH_JWT_SECRET is required in production');
  const secret = randomBytes(32).toString('base64url');
  const token = await issueDevToken(DEV_PRINCIPAL, secret);
  return {
    secret,
    banner: [
      'AUTH_JWT_SECRET is not set: using a DEVELOPMENT secret generated for this run only (tokens die with the process).',
      `Development JWT secret: ${secret}`,
      `Development token (sub=dev, tenant=demo, roles=[admin]): Authorization: Bearer ${token}`,
    ],
  };
}
