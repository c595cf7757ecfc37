import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { EventStore, StoredEvent } from '../../write-model/event-store/event-store.port';
import type { Catalog, GenerationRow } from './catalog';
import { CommittedNotices } from './committed-notices';
import type { DeadLetters } from './dead-letters';
import type { GenerationStore } from './generation-store';
import { Generations } from './generations';
import { LeaseLostError, takeFencingToken, type LeaseConnection } from './lease';
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
  /** Told what the live generation committed (see `ProjectorOptions.onCommitted`). */
  readonly onCommitted?: CommittedHook;
}

/** The events of a live batch the projection handles, called once its rows and checkpoint committed. */
export type CommittedHook = (projection: string, events: readonly StoredEvent[]) => void;

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
  private needsReconcile = false;

  private readonly generations: Generations;
  private readonly notices: CommittedNotices;

  constructor(private readonly deps: ControllerDeps) {
    this.generations = new Generations(deps, () => this.token);
    this.notices = new CommittedNotices(deps);
  }

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
    if (this.needsReconcile && !row.paused) await this.reconcile();
    else if (row.paused !== this.paused) await this.onControl(row.paused ? 'pause' : 'resume');
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

  /**
   * Brings the generations in line with the code and the operator flags, then starts the runners. When it
   * fails half-way (the database or Elasticsearch unreachable), the runners are stopped and the next tick
   * tries again.
   */
  private async reconcile(): Promise<void> {
    try {
      this.needsReconcile = false;
      await this.reconcileOnce();
    } catch (error) {
      this.needsReconcile = true;
      await this.stopRunners();
      throw error;
    }
  }

  private async reconcileOnce(): Promise<void> {
    const { catalog, target, projection } = this.deps;
    const row = await catalog.projection(this.name);
    this.paused = row?.paused === true;
    this.failure = undefined;
    this.failedEventId = undefined;
    if (this.paused) return this.persistState();
    const gens = await catalog.generations(this.name);
    for (const g of gens.filter((x) => x.status === 'retired')) await this.generations.drop(g.generation);
    let live = gens.find((g) => g.status === 'live');
    let building = gens.find((g) => g.status === 'building');
    let requested = row?.rebuildRequestedAt !== undefined;
    if (live === undefined) {
      live = await this.generations.create('live');
      requested = false;
    }
    await target.afterPublish(live.generation);
    const current = (g: GenerationRow): boolean => g.version === projection.version && g.layoutHash === target.layoutHash;
    if (building !== undefined && !current(building)) {
      this.deps.logger.info({ projection: this.name, generation: building.generation }, 'dropping a rebuild of another version');
      await this.generations.drop(building.generation);
      building = undefined;
    }
    if (building === undefined && (!current(live) || requested)) {
      this.deps.logger.info(
        { projection: this.name, liveVersion: live.version, version: projection.version, requested },
        'starting a rebuild',
      );
      building = await this.generations.create('building');
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
      projection: { name: this.name, generation },
      store,
      source: this.deps.source,
      checkpoint: () => applier.checkpoint(),
      apply: async (events, rate) => {
        const after = runner.position;
        const result = await applier.apply(events, rate);
        // After the commit, so whoever is told and re-reads sees the change; a rebuild is not news to readers.
        if (!building) this.notices.batch(events, after, result.position);
        return result;
      },
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
      await this.generations.ensureIndexes(generation);
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
      await this.generations.ensureIndexes(generation);
      this.liveIndexed.add(generation);
    }
    await this.persistState();
  }

  /** Swaps the rebuilt generation in, drops the previous one, and runs the new one as live. */
  private async swap(generation: number): Promise<void> {
    const previous = this.live?.generation ?? (await this.deps.catalog.projection(this.name))?.liveGeneration;
    const oldLive = this.live;
    await this.stopRunners();
    await this.generations.swapIn(generation);
    this.deps.logger.info({ projection: this.name, generation, previous }, 'rebuild swapped in');
    await this.noticeSwap(oldLive?.runner.position, generation);
    if (previous !== undefined && previous !== generation) await this.generations.drop(previous);
    this.live = this.startRunner(generation, false);
    await this.persistState();
  }

  /** What the swapped-in generation shows beyond the old live checkpoint; a failure to tell is only logged. */
  private async noticeSwap(oldPosition: string | undefined, generation: number): Promise<void> {
    if (oldPosition === undefined || !this.notices.listening) return;
    try {
      const position = (await this.deps.catalog.generation(this.name, generation))?.position;
      if (position !== undefined) await this.notices.range(oldPosition, position);
    } catch (error) {
      this.deps.logger.warn({ err: error, projection: this.name, generation }, 'could not tell what the swap committed');
    }
  }

  /** Retry of dead letters: a `stop` policy re-runs from its checkpoint; a `skip` policy projects each stream again. */
  private async retryDeadLetters(): Promise<void> {
    const requested = await this.deps.deadLetters.byStatus(this.name, 'retry_requested');
    if (requested.length === 0) return;
    if (this.deps.projection.onPoison === 'stop' || this.failure !== undefined) {
      await this.stopRunners();
      return this.reconcile();
    }
    // Refolds write through other appliers: the runners (and their document caches) restart afterwards.
    await this.stopRunners();
    try {
      await this.generations.refold(requested);
    } catch (error) {
      if (error instanceof LeaseLostError) return this.deactivate(error.message);
      throw error;
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

  private async persistState(): Promise<void> {
    const state = this.state;
    if (state === this.persistedState || !this.active) return;
    await this.deps.catalog.setState(this.name, state, this.failure);
    this.persistedState = state;
  }
}
