import type { PoolClient } from 'pg';
import type { GenerationRow } from './catalog';
import type { ControllerDeps } from './controller';
import type { DeadLetter } from './dead-letters';
import { asError } from './fold';
import { fence, LeaseLostError } from './lease';

/**
 * What the controller does to the generations of one projection, each step in a transaction fenced by the
 * lease's token: create, drop, build the deferred indexes, swap a rebuilt generation in, re-project streams.
 */
export class Generations {
  constructor(
    private readonly deps: ControllerDeps,
    private readonly token: () => number,
  ) {}

  private get name(): string {
    return this.deps.projection.name;
  }

  async create(status: 'live' | 'building'): Promise<GenerationRow> {
    const { catalog, target, projection, store } = this.deps;
    const headAtStart = await store.headPosition();
    let created = 0;
    await this.fencedTx(async (db) => {
      created = await catalog.nextGeneration(this.name, db);
      await target.create(db, created, false);
      await catalog.insertGeneration(db, {
        name: this.name,
        generation: created,
        version: projection.version,
        layoutHash: target.layoutHash,
        status,
        headAtStart,
        indexesReady: false,
      });
      if (status === 'live') {
        await target.publish(db, created);
        await catalog.setLive(db, this.name, created);
      }
      // A first generation is built from the start of the log too: it answers a pending rebuild request.
      await catalog.clearRebuildRequest(db, this.name);
    });
    this.deps.logger.info({ projection: this.name, generation: created, status }, 'generation created');
    return (await catalog.generation(this.name, created)) as GenerationRow;
  }

  async drop(generation: number): Promise<void> {
    await this.deps.target.drop(generation);
    await this.fencedTx((db) => this.deps.catalog.deleteGeneration(db, this.name, generation));
  }

  /**
   * Secondary indexes are built once a generation has caught up: bulk loading into a table without them is
   * several times faster. The generation's writer waits for the index build (it needs the table's lock).
   */
  async ensureIndexes(generation: number): Promise<void> {
    const g = await this.deps.catalog.generation(this.name, generation);
    if (g === undefined || g.indexesReady) return;
    this.deps.logger.info({ projection: this.name, generation }, 'caught up: creating indexes');
    await this.fencedTx(async (db) => {
      await this.deps.target.createIndexes(db, generation);
      await this.deps.catalog.setIndexesReady(db, this.name, generation);
    });
  }

  /**
   * One transaction (the runners stopped): applies the last events the new generation has not seen, points
   * readers at it and marks it live. Events appended meanwhile are after its checkpoint and reach it through
   * the next live runner. Then the Elasticsearch alias, if any, moves.
   */
  async swapIn(generation: number): Promise<void> {
    const { store, catalog, target } = this.deps;
    const applier = target.applier(generation, this.token(), false);
    await this.fencedTx(async (db) => {
      let position = (await catalog.generation(this.name, generation, db))?.position;
      for (;;) {
        const batch = await store.readAll({ after: position, maxCount: this.deps.options.readSize });
        if (batch.length === 0) break;
        const result = await applier.apply(batch, 0, db);
        if (result.stoppedAt) throw new Error(`poison event ${result.stoppedAt.eventId} while swapping`);
        position = batch[batch.length - 1]?.position;
      }
      await target.publish(db, generation);
      await catalog.promote(db, this.name, generation);
    });
    await target.afterPublish(generation);
  }

  /**
   * A `skip` policy's retry: each dead letter's stream is projected again from nothing into every generation
   * (the runners must be stopped: this writes through other appliers). Throws LeaseLostError.
   */
  async refold(letters: readonly DeadLetter[]): Promise<void> {
    const { deadLetters, catalog, store, target } = this.deps;
    const gens = (await catalog.generations(this.name)).filter((g) => g.status !== 'retired');
    for (const dl of letters) {
      const streamEvents = await store.readStream(dl.streamId);
      try {
        await this.fencedTx(async (db) => {
          for (const g of gens) await target.applier(g.generation, this.token(), g.status === 'building').refold(db, streamEvents);
          await deadLetters.setStatus(db, this.name, dl.id, 'retried');
        });
        this.deps.logger.info({ projection: this.name, deadLetter: dl.id }, 'dead letter retried');
      } catch (error) {
        if (error instanceof LeaseLostError) throw error;
        const e = asError(error);
        await deadLetters.setStatus(this.deps.pool, this.name, dl.id, 'pending', `${e.name}: ${e.message}`);
        this.deps.logger.warn({ err: e, projection: this.name, deadLetter: dl.id }, 'dead letter failed again');
      }
    }
  }

  private async fencedTx(work: (db: PoolClient) => Promise<void>): Promise<void> {
    const client = await this.deps.pool.connect();
    try {
      await client.query('BEGIN');
      await fence(client, this.name, this.token());
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
