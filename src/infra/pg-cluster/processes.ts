import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { RunAs } from './os-user';

/** The part of a pino logger the cluster uses. */
export interface PgLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

// Messages are matched and logged in English whatever the machine's locale.
const ENV = { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C', LANG: 'C' };

/** Forwards a child's output line by line at the level PostgreSQL gave it, and keeps the tail for errors. */
function forwardOutput(child: ChildProcess, logger: PgLogger, source: string): () => string {
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      const level = /\b(ERROR|FATAL|PANIC):/.test(line) ? 'error' : /\bWARNING:/.test(line) ? 'warn' : 'debug';
      logger[level]({ source }, line);
    });
  }
  return () => tail.join('\n');
}

export function runInitdb(initdb: string, args: readonly string[], runAs: RunAs, logger: PgLogger): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(initdb, [...args], { ...runAs, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = forwardOutput(child, logger, 'initdb');
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`embedded PostgreSQL: initdb failed (code ${String(code)}, signal ${String(signal)}):\n${output()}`));
    });
  });
}

export interface ServerProcess {
  readonly child: ChildProcess;
  /** Resolves when the process has exited (at once if it already has). */
  readonly exited: Promise<void>;
  /** The last lines it printed, for error messages. */
  output(): string;
}

export function spawnServer(postgres: string, args: readonly string[], runAs: RunAs, logger: PgLogger): ServerProcess {
  const child = spawn(postgres, [...args], { ...runAs, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = forwardOutput(child, logger, 'postgres');
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  return { child, exited, output };
}

/** Fast shutdown (SIGINT: roll back open transactions, checkpoint); immediate shutdown if that hangs. */
export async function stopServer(server: ServerProcess, timeoutMs = 30_000): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGQUIT'), timeoutMs);
  try {
    await server.exited;
  } finally {
    clearTimeout(timer);
  }
}
