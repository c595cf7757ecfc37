import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunAs } from './os-user';

export const SUPERUSER = 'postgres';

/** Layout under `dataDir`: `cluster/` is the PostgreSQL data directory, `password` the superuser's password. */
export interface ClusterPaths {
  readonly dataDir: string;
  readonly clusterDir: string;
  readonly passwordFile: string;
}

export const clusterPaths = (dataDir: string): ClusterPaths => ({
  dataDir,
  clusterDir: join(dataDir, 'cluster'),
  passwordFile: join(dataDir, 'password'),
});

export const isInitialised = (paths: ClusterPaths): boolean => existsSync(join(paths.clusterDir, 'PG_VERSION'));

/**
 * Prepares `dataDir` for initdb: the password first (so a crash between here and initdb loses nothing) and an
 * empty cluster directory owned by the user PostgreSQL runs as. Refuses a non-empty directory that is not a
 * cluster rather than deleting someone's files.
 */
export function prepareForInit(paths: ClusterPaths, runAs: RunAs): string {
  mkdirSync(paths.dataDir, { recursive: true });
  const password = readOrCreatePassword(paths.passwordFile);
  mkdirSync(paths.clusterDir, { recursive: true, mode: 0o700 });
  const leftovers = readdirSync(paths.clusterDir);
  if (leftovers.length > 0) {
    throw new Error(
      `embedded PostgreSQL: ${paths.clusterDir} is not empty but holds no cluster (no PG_VERSION); ` +
        'move it away or choose another DATA_DIR',
    );
  }
  if (runAs.uid !== undefined && runAs.gid !== undefined) {
    // The server user must be able to reach its directory through dataDir (mkdtemp gives 0700 to root).
    chmodSync(paths.dataDir, statSync(paths.dataDir).mode | 0o711);
    chownSync(paths.clusterDir, runAs.uid, runAs.gid);
  }
  return password;
}

export function readPassword(paths: ClusterPaths): string {
  if (!existsSync(paths.passwordFile)) {
    throw new Error(`embedded PostgreSQL: ${paths.passwordFile} is missing, so the cluster in ${paths.clusterDir} cannot be used`);
  }
  return readFileSync(paths.passwordFile, 'utf8').trim();
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** A short-lived copy of the password for initdb's `--pwfile`, readable by the server user only. */
export function withPasswordFile<T>(password: string, runAs: RunAs, use: (file: string) => Promise<T>): Promise<T> {
  const file = join(tmpdir(), `pg-init-${randomBytes(6).toString('hex')}`);
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  if (runAs.uid !== undefined && runAs.gid !== undefined) chownSync(file, runAs.uid, runAs.gid);
  return use(file).finally(() => rmSync(file, { force: true }));
}
