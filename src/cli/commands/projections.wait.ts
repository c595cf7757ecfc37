import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import pino from 'pino';
import type { ProjectionStatus, ProjectionsService } from '../../projections/projections.service';
import { startProjector, type Projector } from '../../projections/projector';
import type { CliIo } from '../cli-io';

interface Urls {
  readonly databaseUrl: string;
  readonly elasticsearchUrl: string | undefined;
}

const POLL_MS = 250;
/** A request no projector has picked up after this long is carried out by the CLI itself. */
const NO_HOLDER_MS = 2500;

/**
 * Polls `check` until it returns a value. When no process holds the projection's lease for a while (no
 * projector runs it), runs the projection in this process meanwhile, so operator requests work either way;
 * a projector started later waits for the lease and takes over when this command ends.
 */
export async function runHere<T>(service: ProjectionsService, name: string, urls: Urls, check: () => Promise<T | undefined>, onTick?: (s: ProjectionStatus) => void): Promise<T> {
  let local: Projector | undefined;
  let unheldSince = Date.now();
  try {
    for (;;) {
      const found = await check();
      if (found !== undefined) return found;
      const status = await service.status(name);
      onTick?.(status);
      if (status.state !== 'STOPPED' || local) unheldSince = Date.now();
      if (!local && Date.now() - unheldSince > NO_HOLDER_MS) {
        local = await startProjector({
          databaseUrl: urls.databaseUrl,
          ...(urls.elasticsearchUrl !== undefined && { elasticsearchUrl: urls.elasticsearchUrl }),
          logger: pino({ level: 'warn' }, pino.destination(2)),
          only: [name],
          instanceId: `cli:${process.pid}`,
          runtime: { tickMs: 200 },
        });
      }
      await sleep(POLL_MS);
    }
  } finally {
    await local?.stop();
  }
}

export interface RebuildOutcome {
  readonly ok: boolean;
  readonly status: ProjectionStatus;
  readonly reason?: string;
}

/** Waits for the rebuild to swap in, with a live progress bar (events done of total, rate, ETA) on stderr. */
export async function waitForRebuild(
  service: ProjectionsService,
  name: string,
  before: ProjectionStatus,
  options: Urls & { readonly io: CliIo; readonly json: boolean },
): Promise<RebuildOutcome> {
  const startGeneration = before.liveGeneration ?? 0;
  const bar = options.json || options.io.progress === undefined ? undefined : progressBar(options.io.progress);
  let started = false;
  const swapped = (s: ProjectionStatus): boolean =>
    (s.liveGeneration ?? 0) > startGeneration && s.rebuild === null && (startGeneration > 0 || s.state === 'RUNNING');
  const show = (s: ProjectionStatus): void => {
    if (!bar || !s.rebuild) return;
    const payload = { name, rate: s.rebuild.eventsPerSecond, phase: s.rebuild.indexesReady ? 'indexed, swapping' : `generation ${s.rebuild.generation}` };
    if (!started) {
      bar.start(s.rebuild.eventsTotal, s.rebuild.eventsDone, payload);
      started = true;
    }
    bar.setTotal(Math.max(s.rebuild.eventsTotal, 1));
    bar.update(s.rebuild.eventsDone, payload);
  };
  try {
    const status = await runHere(
      service,
      name,
      options,
      async () => {
        const s = await service.status(name);
        show(s);
        return swapped(s) || s.state === 'FAILED' ? s : undefined;
      },
    );
    if (started && bar && status.state !== 'FAILED') bar.update(bar.getTotal());
    return status.state === 'FAILED' ? { ok: false, status, reason: `the projection failed: ${status.lastError ?? 'see its dead letters'}` } : { ok: true, status };
  } finally {
    bar?.stop();
  }
}

function progressBar(stream: NodeJS.WriteStream): SingleBar {
  return new SingleBar({
    format: '{name} [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta_formatted} | {phase}',
    stream,
    barsize: 30,
    hideCursor: true,
    etaBuffer: 20,
    // Without a terminal (CI, scripts): one plain line a second instead of redrawing.
    noTTYOutput: true,
    notTTYSchedule: 1000,
  });
}

/** Pause and resume are carried out by the lease holder: waits briefly for it (not at all when none runs). */
export async function waitForRequest(service: ProjectionsService, name: string, done: (s: ProjectionStatus) => boolean, timeoutMs = 10_000): Promise<ProjectionStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await service.status(name);
    if (done(status) || status.state === 'STOPPED' || Date.now() > deadline) return status;
    await sleep(POLL_MS);
  }
}
