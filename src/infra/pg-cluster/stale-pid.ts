import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export type PidFileState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'stale'; readonly pid: number | undefined }
  | { readonly kind: 'running'; readonly pid: number };

/**
 * What `postmaster.pid` in the cluster says. Its PID is "running" only when a live process with that PID is a
 * postgres process: after a crash or a container restart the PID is often dead or reused by something else,
 * and PostgreSQL would then refuse to start (or wait on a process that is not it).
 */
export function inspectPidFile(clusterDir: string): PidFileState {
  let text: string;
  try {
    text = readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8');
  } catch {
    return { kind: 'absent' };
  }
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return { kind: 'stale', pid: undefined };
  return isLivePostgres(pid) ? { kind: 'running', pid } : { kind: 'stale', pid };
}

export function removePidFile(clusterDir: string): void {
  rmSync(join(clusterDir, 'postmaster.pid'), { force: true });
}

function isLivePostgres(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error: unknown) {
    // EPERM: alive but someone else's (the postgres user's, when we are not root).
    if (!(error instanceof Error && 'code' in error && error.code === 'EPERM')) return false;
  }
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /(^|\/)postgres(\0|$)/.test(command.split('\0')[0] ?? '') || command.startsWith('postgres:');
  } catch {
    // No /proc (macOS): a live PID is assumed to be the server, which is the safe side.
    return true;
  }
}
