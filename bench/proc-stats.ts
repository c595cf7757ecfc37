import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (100 on Linux x86-64). */
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds (user + system) the process has used since it started (Linux /proc). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // After "pid (comm) ": field 3 (state) is index 0, utime (field 14) index 11, stime (field 15) index 12.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Resident set size in bytes (VmRSS of /proc/<pid>/status). */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * Seconds the main thread (the event loop) spent runnable but waiting for a CPU (/proc/<pid>/schedstat, field 2):
 * on a machine with more runnable threads than cores, the time a process is held up by the others.
 */
export function runQueueWaitSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ');
  return Number(fields[1]) / 1e9;
}

export interface Usage {
  readonly seconds: number;
  readonly cpuSeconds: number;
  /** Of one core: 100 = one core busy the whole window. */
  readonly cpuPercent: number;
  /** Of the window: the event loop was ready to run but had no CPU. */
  readonly waitPercent: number;
  readonly rssAvgMb: number;
  readonly rssPeakMb: number;
}

/** CPU over a window (from /proc at its start and end) and RSS sampled every `intervalMs`, per named process. */
export class ResourceSampler {
  private readonly cpuAtStart = new Map<string, number>();
  private readonly waitAtStart = new Map<string, number>();
  private readonly rss = new Map<string, number[]>();
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pids: Readonly<Record<string, number>>,
    private readonly intervalMs = 250,
  ) {}

  start(): this {
    this.startedAt = Date.now();
    for (const [name, pid] of Object.entries(this.pids)) {
      this.cpuAtStart.set(name, cpuSeconds(pid));
      this.waitAtStart.set(name, runQueueWaitSeconds(pid));
      this.rss.set(name, [rssBytes(pid)]);
    }
    this.timer = setInterval(() => {
      for (const [name, pid] of Object.entries(this.pids)) this.rss.get(name)?.push(rssBytes(pid));
    }, this.intervalMs);
    return this;
  }

  stop(): Record<string, Usage> {
    clearInterval(this.timer);
    const seconds = (Date.now() - this.startedAt) / 1000;
    const usage: Record<string, Usage> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      const cpu = cpuSeconds(pid) - (this.cpuAtStart.get(name) ?? 0);
      const wait = runQueueWaitSeconds(pid) - (this.waitAtStart.get(name) ?? 0);
      const rss = [...(this.rss.get(name) ?? []), rssBytes(pid)];
      const mb = (bytes: number): number => bytes / 1024 / 1024;
      usage[name] = {
        seconds,
        cpuSeconds: cpu,
        cpuPercent: (cpu / seconds) * 100,
        waitPercent: (wait / seconds) * 100,
        rssAvgMb: mb(rss.reduce((a, b) => a + b, 0) / rss.length),
        rssPeakMb: mb(Math.max(...rss)),
      };
    }
    return usage;
  }
}
