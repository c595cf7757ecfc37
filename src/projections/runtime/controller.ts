import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { EventStore } from '../../write-model/event-store/event-store.port';
import type { Catalog, GenerationRow } from './catalog';
import type { DeadLetters } from './dead-letters';
import { asError } from './fold';
import type { GenerationStore } from './generation-store';
import { fence, LeaseLostError, takeFencingToken, type LeaseConnection } from './lease';
import type { LogSource } from './log-tail';
import type { Projection } from './projection';
import { Runner, type RunnerStop } from './runner';

export type ProjectionState = 'RUNNING' | 'CATCHING_UP' | 'REBUILDING' | 'PAUSED' | 'FAILED' | 'STOPPED';

export interface ControllerOptions {
  /** Events per read of the log. */
  readonly readSize: number;
  /** Most events per transaction of the live generation (batches are only big while it catches up). */
  readonly liveBatchEvents: number;
  /** Most events per transaction of a generation being rebuilt (big: throughput). */
  readonly buildBatchEvents: number;
  /** How often a waiting process tries to take the lease, and operator flags are polled. */
  readonly tickMs: number;
}

export interface ControllerDeps {
  readonly projection: Projection;
  readonly target: GenerationStore;
  /** The raw store: the runtime upcasts event by event (one bad event is one dead letter, not a stuck batch). */
  readonly store: EventStore;
  /** Where runners read: the process's shared tail of the log, falling back to the store. */
  readonly source: LogSource;
  readonly pool: Pool;
  readonly catalog: Catalog;
  readonly deadLetters: DeadLetters;
  readonly lease: LeaseConnection;
  readonly logger: Logger;
  readonly owner: string;
  readonly options: ControllerOptions;
}

interface Running {
  readonly generation: number;
  readonly runner: Runner;
}

/**
 * Runs one projection in this process while it holds the projection's lease: the live generation's runner
 * and, during a rebuild, the next generation's runner; swaps them once the new one has caught up; obeys
 * operator requests (rebuild, pause, resume, retry and skip of dead letters). Every state change runs through
 * one serial queue, so no two of them interleave.
 */
export class ProjectionController {
  private token = 0;
  private active = false;
  private stopped = false;
  private paused = false;
  private failure: string | undefined;
  /** The poison event a `stop` policy stopped at: an operator's skip or retry of it restarts the runners. */
  private failedEventId: string | undefined;
  private live: Running | undefined;
  private build: Running | undefined;
  private finishing = false;
  private chain: Promise<void> = Promise.resolve();
  private ticker: NodeJS.Timeout | undefined;
  private persistedState: string | undefined;
  private readonly liveIndexed = new Set<number>();

  constructor(private readonly deps: ControllerDeps) {}

  get name(): string {
    return this.deps.projection.name;
  }

  get state(): ProjectionState {
    if (!this.active) return 'STOPPED';
    if (this.paused) return 'PAUSED';
    if (this.failure !== undefined) return 'FAILED';
    if (this.build) return 'REBUILDING';
    return this.live?.runner.caughtUp === true ? 'RUNNING' : 'CATCHING_UP';
  }

  /** True while this process holds the lease and runs the projection. */
  get holdsLease(): boolean {
    return this.active;
  }

  start(): void {
    this.deps.lease.onLost(() => void this.serial(() => this.deactivate('lease connection lost')));
    this.deps.lease.onControl((action, projection) => {
      if (projection === this.name || projection === '*') void this.serial(() => this.onControl(action));
    });
    this.ticker = setInterval(() => void this.serial(() => this.tick()), this.deps.options.tickMs);
    this.ticker.unref();
    void this.serial(() => this.tick());
  }

  /** Finishes the batch in flight, releases the lease and marks the projection STOPPED. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.ticker) clearInterval(this.ticker);
    await this.serial(async () => {
      if (!this.active) return;
      await this.stopRunners();
      await this.deps.catalog.setState(this.name, 'STOPPED').catch(() => undefined);
      this.active = false;
      await this.deps.lease.release(this.name);
    });
  }

  private serial(step: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(step).catch((error: unknown) => {
      this.deps.logger.error({ err: error, projection: this.name }, 'projection control step failed');
    });
    return this.chain;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (!this.active) {
      if (!(await this.deps.lease.tryAcquire(this.name))) return;
      this.token = await takeFencingToken(this.deps.pool, this.name, this.deps.owner);
      this.active = true;
      this.persistedState = undefined;
      this.deps.logger.info({ projection: this.name, token: this.token }, 'projection lease acquired');
      await this.reconcile();
      return;
    }
    const row = await this.deps.catalog.projection(this.name);
    if (row === undefined) return;
    if (row.paused !== this.paused) await this.onControl(row.paused ? 'pause' : 'resume');
    else if (row.rebuildRequestedAt !== undefined && !this.build && !this.paused) await this.onControl('rebuild');
    else if (this.failure === undefined && (await this.deps.deadLetters.byStatus(this.name, 'retry_requested')).length > 0) await this.onControl('retry');
    else if (this.failedEventId !== undefined && (await this.deps.deadLetters.unresolved(this.name)).get(this.failedEventId) !== 'pending') {
      await this.onControl('skip'); // the operator decided on the event we stopped at (and the NOTIFY was missed)
    }
    await this.persistState();
  }

  private async onControl(action: string): Promise<void> {
    if (!this.active || this.stopped) return;
    switch (action) {
      case 'pause':
        this.paused = true;
        await this.stopRunners();
        break;
      case 'resume':
      case 'rebuild':
      case 'skip':
        await this.stopRunners();
        await this.reconcile();
        break;
      case 'retry':
        await this.retryDeadLetters();
        break;
      default:
        this.deps.logger.warn({ projection: this.name, action }, 'unknown projection control request');
    }
    await this.persistState();
  }

  /** Brings the generations in line with the code and the operator flags, then starts the runners. */
  private async reconcile(): Promise<void> {
    const { catalog, target, projection } = this.deps;
    const row = await catalog.projection(this.name);
    this.paused = row?.paused === true;
    this.failure = undefined;
    this.failedEventId = undefined;
    if (this.paused) return this.persistState();
    const gens = await catalog.generations(this.name);
    for (const g of gens.filter((x) => x.status === 'retired')) await this.dropGeneration(g.generation);
    let live = gens.find((g) => g.status === 'live');
    let building = gens.find((g) => g.status === 'building');
    let requested = row?.rebuildRequestedAt !== undefined;
    if (live === undefined) {
      live = await this.createGeneration('live');
      requested = false;
    }
    await target.afterPublish(live.generation);
    const current = (g: GenerationRow): boolean => g.version === projection.version && g.layoutHash === target.layoutHash;
    if (building !== undefined && !current(building)) {
      this.deps.logger.info({ projection: this.name, generation: building.generation }, 'dropping a rebuild of another version');
      await this.dropGeneration(building.generation);
      building = undefined;
    }
    if (building === undefined && (!current(live) || requested)) {
      this.deps.logger.info(
        { projection: this.name, liveVersion: live.version, version: projection.version, requested },
        'starting a rebuild',
      );
      building = await this.createGeneration('building');
    }
    if (live.layoutHash === target.layoutHash) this.live = this.startRunner(live.generation, false);
    else this.deps.logger.warn({ projection: this.name, generation: live.generation }, 'live generation has another layout: it serves as of its checkpoint until the rebuild replaces it');
    if (building !== undefined) this.build = this.startRunner(building.generation, true);
    await this.persistState();
  }

  private startRunner(generation: number, building: boolean): Running {
    const { options, logger, store } = this.deps;
    const applier = this.deps.target.applier(generation, this.token, building);
    const runner: Runner = new Runner({
      name: `${this.name}/g${generation}`,
      store,
      source: this.deps.source,
      checkpoint: () => applier.checkpoint(),
      apply: (events, rate) => applier.apply(events, rate),
      readSize: options.readSize,
      maxBatchEvents: building ? options.buildBatchEvents : options.liveBatchEvents,
      onCaughtUp: () => void this.serial(() => (building ? this.finishBuild(generation) : this.liveCaughtUp(generation))),
      onStopped: (stop) => void this.serial(() => this.onRunnerStopped(generation, stop)),
      onRetry: (error) => logger.warn({ err: error, projection: this.name, generation }, 'projection batch failed, retrying from the checkpoint'),
    });
    runner.start();
    return { generation, runner };
  }

  private async onRunnerStopped(generation: number, stop: RunnerStop): Promise<void> {
    if (stop.kind === 'lease-lost') return this.deactivate('fencing token taken by another process');
    this.failure = `stopped at poison event ${stop.event.eventId} (${stop.event.type} at ${stop.event.position})`;
    this.failedEventId = stop.event.eventId;
    this.deps.logger.error({ projection: this.name, generation, eventId: stop.event.eventId }, 'projection stopped at a poison event');
    await this.stopRunners();
    await this.persistState();
  }

  /** Called whenever the rebuild's runner is at the head: builds the deferred indexes, then swaps. */
  private async finishBuild(generation: number): Promise<void> {
    if (this.build?.generation !== generation || this.finishing || this.failure !== undefined) return;
    this.finishing = true;
    try {
      await this.ensureIndexes(generation);
      await this.swap(generation);
    } catch (error) {
      this.deps.logger.error({ err: error, projection: this.name, generation }, 'swap failed: resuming both generations');
      await this.stopRunners();
      if (error instanceof LeaseLostError) return this.deactivate(error.message);
      await this.reconcile();
    } finally {
      this.finishing = false;
    }
  }

  /** The live generation's runner is at the head: a first generation gets its deferred indexes now. */
  private async liveCaughtUp(generation: number): Promise<void> {
    if (this.live?.generation === generation && !this.liveIndexed.has(generation)) {
      await this.ensureIndexes(generation);
      this.liveIndexed.add(generation);
    }
    await this.persistState();
  }

  /**
   * Secondary indexes are built once a generation has caught up: bulk loading into a table without them is
   * several times faster. The generation's writer waits for the index build (it needs the table's lock).
   */
  private async ensureIndexes(generation: number): Promise<void> {
    const g = await this.deps.catalog.generation(this.name, generation);
    if (g === undefined || g.indexesReady) return;
    this.deps.logger.info({ projection: this.name, generation }, 'caught up: creating indexes');
    await this.fencedTx(async (db) => {
      await this.deps.target.createIndexes(db, generation);
      await this.deps.catalog.setIndexesReady(db, this.name, generation);
    });
  }

  /**
   * One transaction: applies the last events the new generation has not seen, points readers at it and marks
   * it live. Events appended meanwhile are after its checkpoint and reach it through the new live runner.
   */
  private async swap(generation: number): Promise<void> {
    const { store, catalog, target } = this.deps;
    const previous = this.live?.generation ?? (await catalog.projection(this.name))?.liveGeneration;
    await this.stopRunners();
    const applier = target.applier(generation, this.token, false);
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
    this.deps.logger.info({ projection: this.name, generation, previous }, 'rebuild swapped in');
    if (previous !== undefined && previous !== generation) await this.dropGeneration(previous);
    this.live = this.startRunner(generation, false);
    await this.persistState();
  }

  private async createGeneration(status: 'live' | 'building'): Promise<GenerationRow> {
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

  private async dropGeneration(generation: number): Promise<void> {
    await this.deps.target.drop(generation);
    await this.fencedTx((db) => this.deps.catalog.deleteGeneration(db, this.name, generation));
  }

  /** Retry of dead letters: a `stop` policy re-runs from its checkpoint; a `skip` policy projects each stream again. */
  private async retryDeadLetters(): Promise<void> {
    const { deadLetters, catalog, store, target, projection } = this.deps;
    const requested = await deadLetters.byStatus(this.name, 'retry_requested');
    if (requested.length === 0) return;
    if (projection.onPoison === 'stop' || this.failure !== undefined) {
      await this.stopRunners();
      return this.reconcile();
    }
    // Refolds write through other appliers: the runners (and their document caches) restart afterwards.
    await this.stopRunners();
    const gens = (await catalog.generations(this.name)).filter((g) => g.status !== 'retired');
    for (const dl of requested) {
      const streamEvents = await store.readStream(dl.streamId);
      try {
        await this.fencedTx(async (db) => {
          for (const g of gens) await target.applier(g.generation, this.token, g.status === 'building').refold(db, streamEvents);
          await deadLetters.setStatus(db, this.name, dl.id, 'retried');
        });
        this.deps.logger.info({ projection: this.name, deadLetter: dl.id }, 'dead letter retried');
      } catch (error) {
        if (error instanceof LeaseLostError) return this.deactivate(error.message);
        const e = asError(error);
        await deadLetters.setStatus(this.deps.pool, this.name, dl.id, 'pending', `${e.name}: ${e.message}`);
        this.deps.logger.warn({ err: e, projection: this.name, deadLetter: dl.id }, 'dead letter failed again');
      }
    }
    await this.reconcile();
  }

  private async stopRunners(): Promise<void> {
    const runners = [this.live, this.build].filter((r): r is Running => r !== undefined);
    this.live = undefined;
    this.build = undefined;
    await Promise.all(runners.map((r) => r.runner.stop()));
  }

  private async deactivate(reason: string): Promise<void> {
    if (!this.active) return;
    this.deps.logger.warn({ projection: this.name, reason }, 'projection lease lost: stopped writing');
    await this.stopRunners();
    this.active = false;
    await this.deps.lease.release(this.name);
  }

  private async fencedTx(work: (db: PoolClient) => Promise<void>): Promise<void> {
    const client = await this.deps.pool.connect();
    try {
      await client.query('BEGIN');
      await fence(client, this.name, this.token);
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async persistState(): Promise<void> {
    const state = this.state;
    if (state === this.persistedState || !this.active) return;
    await this.deps.catalog.setState(this.name, state, this.failure);
    this.persistedState = state;
  }

  /** Live figures for status reports from this process. */
  snapshot(): { state: ProjectionState; liveGeneration?: number; buildGeneration?: number; eventsPerSecond: number } {
    return {
      state: this.state,
      ...(this.live && { liveGeneration: this.live.generation }),
      ...(this.build && { buildGeneration: this.build.generation }),
      eventsPerSecond: (this.build ?? this.live)?.runner.eventsPerSecond ?? 0,
    };
  }
}
