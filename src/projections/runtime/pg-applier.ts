import type { Pool, PoolClient, QueryResult } from 'pg';
import type { StoredEvent } from '../../write-model/event-store/event-store.port';
import type { Catalog } from './catalog';
import type { DeadLetters, DeadLetterStatus } from './dead-letters';
import { DocCache } from './doc-cache';
import { DocSet, foldEvents, keysOf, type FailureDecision } from './fold';
import { LeaseLostError } from './lease';
import { PgDocuments } from './pg-documents';
import { checkpointAfter, prepareBatch, type PrepareContext } from './prepare';
import type { PgProjection } from './projection';
import type { BatchResult } from './runner';
import type { Applier } from './generation-store';

/** Documents remembered per table between batches (a capital request's document is about 1 KB). */
const CACHE_PER_VIEW = 100_000;
/** A batch smaller than this means the runner is at the head of the log, not bulk loading. */
const BULK_BATCH = 1000;

export interface PgApplierContext extends PrepareContext {
  readonly projection: PgProjection;
  readonly generation: number;
  readonly token: number;
  /** A generation being rebuilt (the live one serves readers meanwhile). */
  readonly building: boolean;
  readonly pool: Pool;
  readonly catalog: Catalog;
  readonly deadLetters: DeadLetters;
}

/**
 * Applies batches to one generation of a PostgreSQL read model: in one transaction it checks the lease's
 * fencing token and reads the checkpoint, loads the documents the batch touches, folds the batch, writes the
 * changed rows, the dead letters and the new checkpoint. A batch replayed after a crash finds the checkpoint
 * past it and changes nothing.
 */
export class PgApplier implements Applier {
  private readonly documents: PgDocuments;
  /** Dead letters of this projection not yet resolved (an operator's `skipped` lets a `stop` policy pass). */
  private unresolved = new Map<string, DeadLetterStatus>();
  private readonly cache: DocCache;

  constructor(private readonly ctx: PgApplierContext) {
    this.documents = new PgDocuments(ctx.projection.views, ctx.generation);
    this.cache = new DocCache(ctx.projection.views.length, CACHE_PER_VIEW);
  }

  /** Read at every (re)start of the runner, with the dead letters an operator may have decided on meanwhile. */
  async checkpoint(): Promise<string | undefined> {
    this.cache.clear();
    this.unresolved = await this.ctx.deadLetters.unresolved(this.ctx.projection.name);
    const position = (await this.ctx.catalog.generation(this.ctx.projection.name, this.ctx.generation))?.position;
    if (position === undefined) this.cache.startedEmpty();
    return position;
  }

  /** `outer`: run inside the caller's transaction (the swap), which commits. */
  async apply(events: readonly StoredEvent[], eventsPerSecond: number, outer?: PoolClient): Promise<BatchResult> {
    const client = outer ?? (await this.ctx.pool.connect());
    try {
      // Read models are derived data: their commits do not wait for the WAL flush. A crash of PostgreSQL can
      // lose the last batches, always together with their checkpoint, and the runner applies them again.
      // Outside the swap, BEGIN and the fence go in one round trip, and so do the checkpoint and COMMIT.
      const previous = outer ? await this.fenceAndCheckpoint(client) : await this.begin(client);
      const { result, docs, checkpoint } = await this.applyIn(client, events, previous);
      const { catalog, projection, generation } = this.ctx;
      if (outer) {
        if (checkpoint) await catalog.checkpoint(client, projection.name, generation, checkpoint.position, checkpoint.processed, eventsPerSecond);
        return result;
      }
      const escape = (text: string): string => client.escapeLiteral(text);
      const sql = checkpoint ? catalog.checkpointSql(escape, projection.name, generation, checkpoint.position, checkpoint.processed, eventsPerSecond) : '';
      await client.query(sql === '' ? 'COMMIT' : `${sql}; COMMIT`);
      if (docs) this.documents.remember(docs, this.cache);
      return result;
    } catch (error) {
      this.cache.clear();
      if (!outer) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      if (!outer) client.release();
    }
  }

  private async applyIn(
    client: PoolClient,
    events: readonly StoredEvent[],
    previous: string | undefined,
  ): Promise<{ result: BatchResult; docs?: DocSet; checkpoint?: { position: string; processed: number } }> {
    const { projection, generation, deadLetters } = this.ctx;
    const unresolved = this.unresolved;
    const { items, fresh } = prepareBatch(events, previous, this.ctx);
    if (fresh.length === 0) return { result: { position: previous } };
    if (events.length < BULK_BATCH) this.cache.stopTracking();
    const docs = await this.documents.load(client, keysOf(projection.views, items), this.cache);
    const failures: { event: StoredEvent; error: Error }[] = [];
    const decide = (event: StoredEvent, error: Error): FailureDecision => {
      if (unresolved.get(event.eventId) === 'skipped') return 'skip';
      failures.push({ event, error });
      return projection.onPoison;
    };
    const { stoppedAt } = foldEvents(projection.views, docs, items, decide);
    await this.documents.write(client, docs);
    await deadLetters.record(client, projection.name, generation, failures);
    const consumed = stoppedAt ? fresh.slice(0, fresh.findIndex((e) => e.eventId === stoppedAt.eventId)) : fresh;
    // Dead letters of events that applied this time (a `stop` policy's retry) are resolved.
    const failed = new Set(failures.map((f) => f.event.eventId));
    const status = (e: StoredEvent): DeadLetterStatus | undefined => unresolved.get(e.eventId);
    const resolved = consumed.filter((e) => status(e) !== undefined && status(e) !== 'skipped' && !failed.has(e.eventId));
    await deadLetters.markRetried(client, projection.name, resolved.map((e) => e.eventId));
    for (const e of resolved) unresolved.delete(e.eventId);
    for (const f of failures) if (unresolved.get(f.event.eventId) !== 'skipped') unresolved.set(f.event.eventId, 'pending');
    const position = checkpointAfter(fresh, previous, stoppedAt);
    const checkpoint = position !== undefined && position !== previous ? { position, processed: consumed.length } : undefined;
    return { result: stoppedAt ? { position, stoppedAt } : { position }, docs, ...(checkpoint && { checkpoint }) };
  }

  /**
   * Projects one stream's events (up to this generation's checkpoint) again from nothing and replaces the
   * documents they make: an operator's retry of a dead letter under a `skip` policy. Throws when it fails again.
   */
  async refold(client: PoolClient, streamEvents: readonly StoredEvent[]): Promise<void> {
    const { projection } = this.ctx;
    const checkpoint = await this.fenceAndCheckpoint(client);
    if (checkpoint === undefined) return;
    const items = streamEvents
      .filter((e) => this.ctx.compare(e.position, checkpoint) <= 0 && this.ctx.canHandle.has(e.type))
      .map((e) => this.ctx.upcast(e));
    const existing = await this.documents.load(client, keysOf(projection.views, items));
    const docs = new DocSet(projection.views.length);
    existing.slots.forEach((slots, v) => {
      for (const slot of slots.values()) docs.putEmpty(v, slot.key, slot.before);
    });
    foldEvents(projection.views, docs, items, (_event, error) => {
      throw error;
    });
    await this.documents.write(client, docs);
  }

  /** BEGIN, asynchronous commit, fence and checkpoint read: one round trip (literal values, escaped). */
  private async begin(client: PoolClient): Promise<string | undefined> {
    const name = client.escapeLiteral(this.ctx.projection.name);
    const results = (await client.query(
      `BEGIN; SET LOCAL synchronous_commit = off;
       SELECT p.lease_token, g.position FROM proj_projections p JOIN proj_generations g ON g.projection = p.name
       WHERE p.name = ${name} AND g.generation = ${Math.trunc(this.ctx.generation)} AND g.status <> 'retired' FOR KEY SHARE OF p`,
    )) as unknown as QueryResult<{ lease_token: string; position: string | null }>[];
    return this.checkFence(results[2]?.rows[0]);
  }

  private async fenceAndCheckpoint(client: PoolClient): Promise<string | undefined> {
    const res = await client.query<{ lease_token: string; position: string | null }>(
      `SELECT p.lease_token, g.position FROM proj_projections p JOIN proj_generations g ON g.projection = p.name
       WHERE p.name = $1 AND g.generation = $2 AND g.status <> 'retired' FOR KEY SHARE OF p`,
      [this.ctx.projection.name, this.ctx.generation],
    );
    return this.checkFence(res.rows[0]);
  }

  private checkFence(row: { lease_token: string; position: string | null } | undefined): string | undefined {
    if (row === undefined || Number(row.lease_token) !== this.ctx.token) throw new LeaseLostError(this.ctx.projection.name);
    return row.position ?? undefined;
  }
}
