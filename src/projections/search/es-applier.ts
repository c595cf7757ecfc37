import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@elastic/elasticsearch';
import type { Pool, PoolClient } from 'pg';
import type { Catalog } from '../runtime/catalog';
import type { StoredEvent } from '../../write-model/event-store/event-store.port';
import type { DeadLetters, DeadLetterStatus } from '../runtime/dead-letters';
import { DocSet, foldEvents, keysOf, type FailureDecision } from '../runtime/fold';
import type { Applier } from '../runtime/generation-store';
import { LeaseLostError } from '../runtime/lease';
import { checkpointAfter, prepareBatch, type PrepareContext } from '../runtime/prepare';
import type { EsProjection, Key, Row } from '../runtime/projection';
import type { BatchResult } from '../runtime/runner';
import { bulkBody, judgeBulk, type DocWrite } from './es-bulk';

const BULK_ATTEMPTS = 5;

export interface EsGenerationStoreDeps extends PrepareContext {
  readonly pool: Pool;
  readonly catalog: Catalog;
  readonly deadLetters: DeadLetters;
  readonly url: string;
  /** Prefix of index and alias names (isolated tests). */
  readonly indexPrefix: string;
}

/**
 * Applies batches to one generation's index: loads the documents the batch touches (realtime mget), folds,
 * writes what changed with one bulk request (version = stream revision, external), retries the items that
 * failed for a passing reason, dead-letters the ones the index refuses for good, and checkpoints in
 * PostgreSQL after the bulk response. The PostgreSQL transaction that holds the fencing token stays open
 * across the bulk call, so a new lease holder waits for it; a write that still lands late is harmless,
 * because a document never goes back to an older version.
 */
export class EsApplier implements Applier {
  private unresolved = new Map<string, DeadLetterStatus>();

  constructor(
    private readonly projection: EsProjection,
    private readonly deps: EsGenerationStoreDeps,
    private readonly client: Client,
    private readonly index: string,
    private readonly generation: number,
    private readonly token: number,
  ) {}

  async checkpoint(): Promise<string | undefined> {
    this.unresolved = await this.deps.deadLetters.unresolved(this.projection.name);
    return (await this.deps.catalog.generation(this.projection.name, this.generation))?.position;
  }

  async apply(events: readonly StoredEvent[], eventsPerSecond: number, outer?: PoolClient): Promise<BatchResult> {
    const client = outer ?? (await this.deps.pool.connect());
    try {
      if (!outer) await client.query('BEGIN');
      const result = await this.applyIn(client, events, eventsPerSecond);
      if (!outer) await client.query('COMMIT');
      return result;
    } catch (error) {
      if (!outer) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      if (!outer) client.release();
    }
  }

  private async applyIn(db: PoolClient, events: readonly StoredEvent[], eventsPerSecond: number): Promise<BatchResult> {
    const { projection, deps } = this;
    const previous = await this.fenceAndCheckpoint(db);
    const { items, fresh } = prepareBatch(events, previous, deps);
    if (fresh.length === 0) return { position: previous };
    const docs = await this.load(keysOf(projection.views, items));
    const failures: { event: StoredEvent; error: Error }[] = [];
    const decide = (event: StoredEvent, error: Error): FailureDecision => {
      if (this.unresolved.get(event.eventId) === 'skipped') return 'skip';
      failures.push({ event, error });
      return projection.onPoison;
    };
    const { stoppedAt } = foldEvents(projection.views, docs, items, decide);
    const rejected = await this.write(docs);
    // A document the index refuses for good is a poison event: the last event that changed it.
    for (const { write, reason } of rejected) {
      const event = [...items].reverse().find((e) => !('unreadable' in e) && projection.views.some((v) => v.keyOf(e)?.[0] === write.id));
      if (event && !('unreadable' in event)) failures.push({ event, error: new Error(`Elasticsearch refused the document: ${reason}`) });
    }
    await deps.deadLetters.record(db, projection.name, this.generation, failures);
    const position = checkpointAfter(fresh, previous, stoppedAt);
    const consumed = stoppedAt ? fresh.findIndex((e) => e.eventId === stoppedAt.eventId) : fresh.length;
    if (position !== undefined && position !== previous) await deps.catalog.checkpoint(db, projection.name, this.generation, position, consumed, eventsPerSecond);
    for (const f of failures) this.unresolved.set(f.event.eventId, 'pending');
    return stoppedAt ? { position, stoppedAt } : { position };
  }

  /** The current documents, read in real time (not waiting for a refresh). */
  private async load(keys: readonly Key[][]): Promise<DocSet> {
    const docs = new DocSet(this.projection.views.length);
    const ids = [...new Set((keys[0] ?? []).map((k) => String(k[0])))];
    for (const id of ids) docs.put(0, [id], undefined);
    if (ids.length === 0) return docs;
    const res = await this.client.mget<Row>({ index: this.index, ids, realtime: true });
    for (const d of res.docs) if ('found' in d && d.found && d._source) docs.put(0, [d._id], d._source);
    return docs;
  }

  /** One bulk request for the changed documents; items failing for a passing reason are sent again. */
  private async write(docs: DocSet, versionType: 'external' | 'external_gte' = 'external'): Promise<{ write: DocWrite; reason: string }[]> {
    let pending: DocWrite[] = docs.changed(0).map((slot) => ({
      id: String(slot.key[0]),
      version: slot.revision ?? Number(slot.after?.['revision'] ?? 0),
      doc: slot.after,
    }));
    const rejected: { write: DocWrite; reason: string }[] = [];
    for (let attempt = 1; pending.length > 0; attempt++) {
      const res = await this.client.bulk({ operations: bulkBody(this.index, pending, versionType), refresh: false });
      const verdict = judgeBulk(pending, res.items.map((item) => Object.values(item)[0] ?? { status: 0 }));
      rejected.push(...verdict.rejected);
      pending = verdict.retry;
      if (pending.length === 0) break;
      if (attempt >= BULK_ATTEMPTS) throw new Error(`Elasticsearch kept failing ${pending.length} document writes after ${attempt} attempts`);
      await sleep(100 * 2 ** attempt);
    }
    return rejected;
  }

  /** Projects one stream again from nothing into the index (an operator's retry); throws when it fails again. */
  async refold(db: PoolClient, streamEvents: readonly StoredEvent[]): Promise<void> {
    const checkpoint = await this.fenceAndCheckpoint(db);
    if (checkpoint === undefined) return;
    const items = streamEvents
      .filter((e) => this.deps.compare(e.position, checkpoint) <= 0 && this.deps.canHandle.has(e.type))
      .map((e) => this.deps.upcast(e));
    const existing = await this.load(keysOf(this.projection.views, items));
    const docs = new DocSet(this.projection.views.length);
    for (const slot of existing.slots[0]?.values() ?? []) docs.putEmpty(0, slot.key, slot.before);
    foldEvents(this.projection.views, docs, items, (_event, error) => {
      throw error;
    });
    const rejected = await this.write(docs, 'external_gte');
    if (rejected[0]) throw new Error(`Elasticsearch refused the document: ${rejected[0].reason}`);
  }

  private async fenceAndCheckpoint(db: PoolClient): Promise<string | undefined> {
    const res = await db.query<{ lease_token: string; position: string | null }>(
      `SELECT p.lease_token, g.position FROM proj_projections p JOIN proj_generations g ON g.projection = p.name
       WHERE p.name = $1 AND g.generation = $2 AND g.status <> 'retired' FOR KEY SHARE OF p`,
      [this.projection.name, this.generation],
    );
    const row = res.rows[0];
    if (row === undefined || Number(row.lease_token) !== this.token) throw new LeaseLostError(this.projection.name);
    return row.position ?? undefined;
  }
}
