import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** A projector in a child process (`projector-main.ts` through tsx), as operators run it. */
export class ProjectorProcess {
  private output = '';
  readonly exited: Promise<number | null>;
  private readonly started: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.started = new Promise((resolve, reject) => {
      let started = false;
      const onData = (chunk: Buffer): void => {
        this.output = (this.output + chunk.toString()).slice(-20_000);
        if (!started && this.output.includes('"msg":"projector started"')) {
          started = true;
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      void this.exited.then((code) => (started ? undefined : reject(new Error(`the projector exited (${String(code)}) before it started:\n${this.tail()}`))));
    });
    this.started.catch(() => undefined);
  }

  static spawn(env: Record<string, string>): ProjectorProcess {
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(ROOT, 'src/projections/projector-main.ts')], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ProjectorProcess(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves once the projector logged that it started; rejects if it exited before, with its output. */
  whenStarted(): Promise<void> {
    return this.started;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** The last lines it wrote, for a failing test's message. */
  tail(): string {
    return this.output.split('\n').slice(-30).join('\n');
  }
}
