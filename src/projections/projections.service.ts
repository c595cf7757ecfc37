import { Pool } from 'pg';
import { Catalog, type GenerationRow } from './runtime/catalog';
import { DeadLetters, type DeadLetter } from './runtime/dead-letters';
import { heldLeases } from './runtime/lease';
import { migrateProjections } from './runtime/migrations';

/** The contract's ProjectionStatus, plus what operators and the CLI need. */
export interface ProjectionStatus {
  readonly name: string;
  /** RUNNING, CATCHING_UP, REBUILDING, PAUSED, FAILED or STOPPED (no process holds the lease). */
  readonly state: string;
  readonly position: string | null;
  readonly headPosition: string | null;
  readonly lag: number;
  readonly deadLetters: number;
  /** 0..1 while rebuilding, null otherwise. */
  readonly rebuildProgress: number | null;
  readonly updatedAt: string | null;
  readonly eventsPerSecond: number;
  readonly liveGeneration: number | null;
  readonly rebuild: RebuildStatus | null;
  readonly leaseOwner: string | null;
  readonly lastError: string | null;
}

export interface RebuildStatus {
  readonly generation: number;
  readonly position: string | null;
  readonly eventsDone: number;
  /** Events done plus events between the rebuild's position and the head. */
  readonly eventsTotal: number;
  readonly eventsPerSecond: number;
  readonly etaSeconds: number | null;
  readonly indexesReady: boolean;
}

export class UnknownProjectionError extends Error {
  constructor(name: string, known: readonly string[]) {
    super(`unknown projection ${JSON.stringify(name)}: expected one of ${known.join(', ')}`);
    this.name = 'UnknownProjectionError';
  }
}

export class DeadLetterNotFoundError extends Error {
  constructor(projection: string, id: string) {
    super(`projection ${projection} has no dead letter ${JSON.stringify(id)}`);
    this.name = 'DeadLetterNotFoundError';
  }
}

/** Beyond this many positions of lag the count is the difference of positions (the log's positions have no gaps but failed appends'). */
const EXACT_LAG_LIMIT = 100_000n;
const RATE_FRESH_MS = 5000;

/**
 * What operators do with projections, for the CLI and the GraphQL API (operators only): status, and requests
 * (rebuild, pause, resume, retry or skip a dead letter) that the process holding the projection's lease
 * carries out. Requests are rows plus a NOTIFY, so one sent while no projector runs waits for the next one.
 */
export class ProjectionsService {
  private readonly catalog: Catalog;
  private readonly letters: DeadLetters;

  constructor(
    private readonly pool: Pool,
    /** The projections this deployment runs (listed even before they ever ran). */
    private readonly configured: readonly string[],
  ) {
    this.catalog = new Catalog(pool);
    this.letters = new DeadLetters(pool);
  }

  static async connect(databaseUrl: string, configured: readonly string[]): Promise<ProjectionsService & { close(): Promise<void> }> {
    await migrateProjections(databaseUrl);
    const pool = new Pool({ connectionString: databaseUrl, max: 3, application_name: 'projections-service' });
    pool.on('error', () => undefined); // an idle connection the server closed is replaced on next use
    const service = new ProjectionsService(pool, configured) as ProjectionsService & { close(): Promise<void> };
    service.close = () => pool.end();
    return service;
  }

  async names(): Promise<string[]> {
    const rows = await this.catalog.projections();
    return [...new Set([...this.configured, ...rows.map((r) => r.name)])].sort();
  }

  async list(): Promise<ProjectionStatus[]> {
    const names = await this.names();
    const [rows, gens, held, head, open] = await Promise.all([
      this.catalog.projections(),
      this.catalog.allGenerations(),
      heldLeases(this.pool, names),
      this.head(),
      this.letters.countOpen(),
    ]);
    return Promise.all(
      names.map(async (name) => {
        const row = rows.find((r) => r.name === name);
        const live = gens.find((g) => g.projection === name && g.status === 'live');
        const building = gens.find((g) => g.projection === name && g.status === 'building');
        const rebuild = building ? this.rebuildStatus(building, head) : null;
        const active = building ?? live;
        return {
          name,
          state: held.has(name) ? (row?.state ?? 'STOPPED') : 'STOPPED',
          position: live?.position ?? null,
          headPosition: head ?? null,
          lag: await this.lag(live?.position, head),
          deadLetters: open.get(name) ?? 0,
          rebuildProgress: rebuild ? (rebuild.eventsTotal === 0 ? 1 : Math.min(1, rebuild.eventsDone / rebuild.eventsTotal)) : null,
          updatedAt: (active?.updatedAt ?? row?.updatedAt)?.toISOString() ?? null,
          eventsPerSecond: active && isFresh(active) ? Math.round(active.eventsPerSecond) : 0,
          liveGeneration: live?.generation ?? null,
          rebuild,
          leaseOwner: held.has(name) ? (row?.leaseOwner ?? null) : null,
          lastError: row?.lastError ?? null,
        };
      }),
    );
  }

  async status(name: string): Promise<ProjectionStatus> {
    await this.known(name);
    const found = (await this.list()).find((s) => s.name === name);
    if (found === undefined) throw new UnknownProjectionError(name, await this.names());
    return found;
  }

  /** Asks for a rebuild (a no-op while one is running); the lease holder starts it within a second. */
  async rebuild(name: string): Promise<ProjectionStatus> {
    await this.request(name, 'rebuild', 'UPDATE proj_projections SET rebuild_requested_at = coalesce(rebuild_requested_at, now()) WHERE name = $1');
    return this.status(name);
  }

  async pause(name: string): Promise<ProjectionStatus> {
    await this.request(name, 'pause', 'UPDATE proj_projections SET paused = true WHERE name = $1');
    return this.status(name);
  }

  async resume(name: string): Promise<ProjectionStatus> {
    await this.request(name, 'resume', 'UPDATE proj_projections SET paused = false WHERE name = $1');
    return this.status(name);
  }

  async deadLetters(name: string, options: { includeResolved?: boolean } = {}): Promise<DeadLetter[]> {
    await this.known(name);
    return this.letters.list(name, options);
  }

  async deadLetter(name: string, id: string): Promise<DeadLetter> {
    await this.known(name);
    const found = await this.letters.get(name, id);
    if (found === undefined) throw new DeadLetterNotFoundError(name, id);
    return found;
  }

  /** Asks the lease holder to apply the event again (`stop` policy: from the checkpoint; `skip`: its stream again). */
  async retryDeadLetter(name: string, id: string): Promise<DeadLetter> {
    await this.deadLetter(name, id);
    await this.letters.setStatus(this.pool, name, id, 'retry_requested');
    await this.pool.query(`SELECT pg_notify('proj_control', 'retry ' || $1)`, [name]);
    return this.deadLetter(name, id);
  }

  /** Accepts that the event is not applied; a projection stopped at it carries on. */
  async skipDeadLetter(name: string, id: string): Promise<DeadLetter> {
    await this.deadLetter(name, id);
    await this.letters.setStatus(this.pool, name, id, 'skipped');
    await this.pool.query(`SELECT pg_notify('proj_control', 'skip ' || $1)`, [name]);
    return this.deadLetter(name, id);
  }

  private async request(name: string, action: string, sql: string): Promise<void> {
    await this.known(name);
    await this.catalog.ensure(name);
    await this.pool.query(sql, [name]);
    await this.pool.query(`SELECT pg_notify('proj_control', $1 || ' ' || $2)`, [action, name]);
  }

  private async known(name: string): Promise<void> {
    const names = await this.names();
    if (!names.includes(name)) throw new UnknownProjectionError(name, names);
  }

  private async head(): Promise<string | undefined> {
    const res = await this.pool.query<{ head: string | null }>('SELECT max(position)::text AS head FROM es_events');
    return res.rows[0]?.head ?? undefined;
  }

  private async lag(position: string | undefined, head: string | undefined): Promise<number> {
    if (head === undefined) return 0;
    const after = BigInt(position ?? '0');
    const distance = BigInt(head) - after;
    if (distance <= 0n) return 0;
    if (distance > EXACT_LAG_LIMIT) return Number(distance);
    const res = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM es_events WHERE position > $1 AND position <= $2', [after.toString(), head]);
    return res.rows[0]?.n ?? 0;
  }

  private rebuildStatus(g: GenerationRow, head: string | undefined): RebuildStatus {
    const remaining = head === undefined ? 0 : Math.max(0, Number(BigInt(head) - BigInt(g.position ?? '0')));
    const rate = isFresh(g) ? g.eventsPerSecond : 0;
    return {
      generation: g.generation,
      position: g.position ?? null,
      eventsDone: g.eventsProcessed,
      eventsTotal: g.eventsProcessed + remaining,
      eventsPerSecond: Math.round(rate),
      etaSeconds: rate > 0 ? Math.ceil(remaining / rate) : null,
      indexesReady: g.indexesReady,
    };
  }
}

const isFresh = (g: GenerationRow): boolean => Date.now() - g.updatedAt.getTime() < RATE_FRESH_MS;
