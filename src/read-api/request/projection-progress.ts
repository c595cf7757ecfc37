import type { Pool } from 'pg';
import { ApiError } from '../../app/graphql/api-error';

/** Reads every projection's checkpoint (the live generation's position); missing tables mean none yet. */
export type CheckpointSource = () => Promise<ReadonlyMap<string, string>>;

export function pgCheckpoints(pool: Pool): CheckpointSource {
  return async () => {
    try {
      const res = await pool.query<{ projection: string; position: string | null }>(
        "SELECT projection, position FROM proj_generations WHERE status = 'live'",
      );
      return new Map(res.rows.flatMap((row) => (row.position === null ? [] : [[row.projection, row.position] as const])));
    } catch (error: unknown) {
      if ((error as { code?: unknown }).code === '42P01') return new Map();
      throw error;
    }
  };
}

interface Waiter {
  readonly projections: readonly string[];
  readonly position: string;
  readonly resolve: () => void;
}

export interface ProgressOptions {
  /** How often the checkpoints are read while nobody waits (they key the dashboard cache). */
  readonly idleIntervalMs?: number;
  /** How often while a request waits for a position (X-Read-After). */
  readonly busyIntervalMs?: number;
}

/**
 * What each projection has processed, as one poller per process reads it: one small query per interval
 * however many requests ask. Requests carrying X-Read-After wait here until every projection they use has
 * reached the position, polled fast while anyone waits.
 */
export class ProjectionProgress {
  private positions: ReadonlyMap<string, string> = new Map();
  private readonly waiters = new Set<Waiter>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private closed = false;
  private lastError: unknown;

  constructor(
    private readonly source: CheckpointSource,
    private readonly compare: (a: string, b: string) => number,
    private readonly options: ProgressOptions = {},
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    await this.poll();
    this.schedule();
  }

  /** The last known checkpoint of a projection. */
  position(projection: string): string | undefined {
    return this.positions.get(projection);
  }

  /** Resolves once every projection has reached `position`; STALE_READ after `timeoutMs`. */
  async waitFor(projections: readonly string[], position: string, timeoutMs: number): Promise<void> {
    if (this.reached(projections, position)) return;
    await this.poll();
    if (this.reached(projections, position)) return;
    let waiter: Waiter | undefined;
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        new Promise<void>((resolve) => {
          waiter = { projections, position, resolve };
          this.waiters.add(waiter);
          this.schedule();
        }),
        new Promise<never>((_resolve, reject) => {
          timeout = setTimeout(() => reject(this.stale(projections, position, timeoutMs)), timeoutMs);
        }),
      ]);
    } finally {
      if (waiter !== undefined) this.waiters.delete(waiter);
      clearTimeout(timeout);
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private reached(projections: readonly string[], position: string): boolean {
    return projections.every((name) => {
      const done = this.positions.get(name);
      return done !== undefined && this.compare(done, position) >= 0;
    });
  }

  private stale(projections: readonly string[], position: string, timeoutMs: number): ApiError {
    const behind = projections.filter((name) => !this.reached([name], position));
    return new ApiError(
      'STALE_READ',
      `the read models ${behind.join(', ')} had not processed position ${position} after ${timeoutMs} ms: retry later`,
      'X-Read-After',
    );
  }

  private schedule(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    const interval = this.waiters.size > 0 ? (this.options.busyIntervalMs ?? 10) : (this.options.idleIntervalMs ?? 200);
    this.timer = setTimeout(() => void this.poll().finally(() => this.schedule()), interval);
    this.timer.unref();
  }

  /** One read at a time; concurrent callers share it. */
  private poll(): Promise<void> {
    this.polling ??= this.source()
      .then((positions) => {
        this.positions = positions;
        this.lastError = undefined;
        for (const waiter of this.waiters) if (this.reached(waiter.projections, waiter.position)) waiter.resolve();
      })
      .catch((error: unknown) => {
        if (this.lastError === undefined) this.onError(error);
        this.lastError = error;
      })
      .finally(() => {
        this.polling = undefined;
      });
    return this.polling;
  }
}
