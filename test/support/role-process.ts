import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parsePrometheusText, type Sample } from './prometheus-text';

export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * How a role is launched, always as one `node` process (no npx or tsx wrapper, so its pid is the role's own):
 * `tsx` runs the sources through tsx's loader; `dist` runs the build of `npm run build`, as in production.
 */
export type Launcher = 'tsx' | 'dist';

export interface RoleExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** From SIGTERM to exit. */
  readonly ms: number;
}

const KEEP_LINES = 300;

/** A role running as a child process; its last output lines are kept for failure messages. */
export class RoleProcess {
  readonly url: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly lines: string[] = [];
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(
    readonly role: string,
    readonly port: number,
    private readonly child: ChildProcess,
    readonly startedAt: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    const keep = (chunk: Buffer): void => {
      this.lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      if (this.lines.length > KEEP_LINES) this.lines.splice(0, this.lines.length - KEEP_LINES);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.role} has no pid: it did not start`);
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  output(): string {
    const status = this.exit ? `exited code=${this.exit.code} signal=${this.exit.signal}` : 'running';
    return `--- ${this.role} (pid ${this.child.pid}, ${status}) ---\n${this.lines.join('\n')}`;
  }

  /** SIGTERM, then waits up to `boundMs`; past it the process is killed and `code` is null. */
  async stop(boundMs: number): Promise<RoleExit> {
    const started = Date.now();
    if (this.exit) return { ...this.exit, ms: 0 };
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<'overdue'>((resolve) => (timer = setTimeout(() => resolve('overdue'), boundMs)));
    const outcome = await Promise.race([this.exited, overdue]).finally(() => clearTimeout(timer));
    if (outcome === 'overdue') {
      this.kill();
      await this.exited;
      return { code: null, signal: 'SIGKILL', ms: Date.now() - started };
    }
    return { ...outcome, ms: Date.now() - started };
  }

  /** SIGKILL when still running (clean-up after a failure). */
  kill(): void {
    if (this.exit === undefined) this.child.kill('SIGKILL');
  }
}

/** A TCP port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned');
  return address.port;
}

/** Starts `ROLE=<role>` on a free port with `env` over this process's environment. */
export async function spawnRole(role: string, options: { env: Record<string, string>; launcher?: Launcher }): Promise<RoleProcess> {
  const port = await freePort();
  const args = options.launcher === 'dist' ? [join(REPO_ROOT, 'dist', 'src', 'main.js')] : ['--import', 'tsx', join(REPO_ROOT, 'src', 'main.ts')];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env, ROLE: role, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new RoleProcess(role, port, child, Date.now());
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** One HTTP request over a shared keep-alive agent (fetch is not in every jest environment). */
export function http(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent, timeout: options.timeoutMs ?? 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${url} did not answer within ${options.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Polls GET /ready until 200 (the parsed report), failing at once when the process exits and after `timeoutMs`. */
export async function waitReady(p: RoleProcess, timeoutMs = 60_000): Promise<{ readonly ms: number; readonly report: unknown }> {
  const until = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < until) {
    if (!p.alive) throw new Error(`${p.role} exited before it was ready`);
    try {
      const answer = await http(`${p.url}/ready`, { timeoutMs: 5000 });
      if (answer.status === 200) return { ms: Date.now() - p.startedAt, report: JSON.parse(answer.body) as unknown };
      last = `${answer.status} ${answer.body}`;
    } catch (error: unknown) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${p.role} was not ready within ${timeoutMs} ms (last: ${last})`);
}

export async function scrapeMetrics(p: RoleProcess): Promise<Sample[]> {
  const answer = await http(`${p.url}/metrics`);
  if (answer.status !== 200) throw new Error(`${p.role} GET /metrics answered ${answer.status}: ${answer.body.slice(0, 500)}`);
  return parsePrometheusText(answer.body);
}

/** Runs `body`; when it throws, the error message ends with the output of every process (for the test report). */
export async function withOutputOf<T>(processes: () => readonly RoleProcess[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error: unknown) {
    const outputs = processes().map((p) => p.output()).join('\n');
    if (error instanceof Error) {
      error.message = `${error.message}\n\nOutput of the role processes:\n${outputs}`;
      throw error;
    }
    throw new Error(`${String(error)}\n\nOutput of the role processes:\n${outputs}`);
  }
}
