import type { Pool } from 'pg';
import type { StoredEvent } from '../../write-model/event-store/event-store.port';
import { foldVenture, type VentureFold } from './venture-fold';

/** Bump when the fold changes meaning: older snapshots are then ignored. */
const FOLD_VERSION = 1;

/**
 * Snapshots of venture folds every `every` revisions, written by the read API itself as time-travel queries
 * pass those revisions (no writer has to know). A snapshot at revision R is the fold of events 0..R, stored with
 * the latest occurredAt among them, so it serves any asOf at or after that instant.
 */
export class VentureSnapshots {
  constructor(
    private readonly pool: Pool,
    private readonly every = 1000,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async latestUsable(streamId: string, asOf: string): Promise<VentureFold | undefined> {
    const res = await this.pool.query<{ state: { v: number; fold: VentureFold } }>(
      `SELECT state FROM read_api_snapshots WHERE stream_id = $1 AND max_occurred_at <= $2 ORDER BY revision DESC LIMIT 1`,
      [streamId, asOf],
    );
    const stored = res.rows[0]?.state;
    return stored !== undefined && stored.v === FOLD_VERSION ? stored.fold : undefined;
  }

  /**
   * After a fold of `events` on top of `start`: stores the fold at the last multiple of `every` it passed, when
   * the events read were consecutive revisions (an asOf that skipped a later-dated event must not be saved as
   * the stream's true prefix). A failed write is reported, not thrown: a lost snapshot costs only time.
   */
  async offer(streamId: string, start: VentureFold, events: readonly StoredEvent[]): Promise<void> {
    const last = events[events.length - 1];
    if (last === undefined) return;
    const boundary = Math.floor((last.revision + 1) / this.every) * this.every - 1;
    if (boundary <= start.revision) return;
    const prefix = events.slice(0, boundary - start.revision);
    const consecutive = prefix.every((e, i) => e.revision === start.revision + 1 + i);
    if (!consecutive || prefix.length !== boundary - start.revision) return;
    const fold = foldVenture(start, prefix);
    if (fold.maxOccurredAt === undefined) return;
    await this.pool
      .query(
        `INSERT INTO read_api_snapshots (stream_id, revision, max_occurred_at, state) VALUES ($1, $2, $3, $4)
         ON CONFLICT (stream_id, revision) DO NOTHING`,
        [streamId, boundary, fold.maxOccurredAt, JSON.stringify({ v: FOLD_VERSION, fold })],
      )
      .then(() => undefined, this.onError);
  }
}
