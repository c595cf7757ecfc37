import { parseArgs } from 'node:util';
import { configuredProjectionNames } from '../../projections/all-projections';
import { DeadLetterNotFoundError, ProjectionsService, UnknownProjectionError, type ProjectionStatus } from '../../projections/projections.service';
import type { DeadLetter } from '../../projections/runtime/dead-letters';
import { EXIT, type CliIo } from '../cli-io';
import { printDeadLetters, printStatus, printStatusTable } from './projections.output';
import { runHere, waitForRebuild, waitForRequest } from './projections.wait';

const USAGE = `usage: npm run cli -- projections <subcommand> [--json]
  list                              every projection: state, position, head, lag, events/s, dead letters
  status [NAME]                     one projection in detail (all without NAME)
  rebuild NAME [--no-wait]          build the next generation from the start of the log and swap it in
                                    (a live progress bar until the swap; runs it here when no projector does)
  pause NAME | resume NAME          stop applying events (the read model keeps serving) / carry on
  dead-letters NAME [--all]         events the projection could not apply, with the error
  dead-letters NAME retry ID        apply it again (a skip policy re-projects its stream, a stop policy re-runs)
  dead-letters NAME skip ID         accept that it is not applied (a stopped projection carries on)
Needs DATABASE_URL (and ELASTICSEARCH_URL for the venture_search index). Exit codes: 0 ok, 1 failed, 2 usage.`;

class UsageError extends Error {}

type Service = Awaited<ReturnType<typeof ProjectionsService.connect>>;

interface Parsed {
  readonly positionals: string[];
  readonly json: boolean;
  readonly wait: boolean;
  readonly all: boolean;
  readonly help: boolean;
}

function parse(argv: readonly string[]): Parsed {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { json: { type: 'boolean' }, 'no-wait': { type: 'boolean' }, all: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  return { positionals, json: values.json === true, wait: values['no-wait'] !== true, all: values.all === true, help: values.help === true };
}

/** `projections ...`: operator commands over the projection runtime. Returns the exit code. */
export async function projectionsCommand(argv: readonly string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: Parsed;
  try {
    args = parse(argv);
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return EXIT.usage;
  }
  if (args.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  const databaseUrl = env['DATABASE_URL']?.trim();
  if (!databaseUrl) {
    io.err(`DATABASE_URL is not set: point it at the database the projector uses\n${USAGE}`);
    return EXIT.usage;
  }
  const elasticsearchUrl = env['ELASTICSEARCH_URL']?.trim() || undefined;
  const configured = configuredProjectionNames(elasticsearchUrl);
  let service: Service | undefined;
  try {
    service = await ProjectionsService.connect(databaseUrl, configured);
    return await dispatch(service, args, io, { databaseUrl, elasticsearchUrl });
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnknownProjectionError || error instanceof DeadLetterNotFoundError) {
      io.err(error instanceof UsageError ? `${error.message}\n${USAGE}` : error.message);
      return EXIT.usage;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failure;
  } finally {
    await service?.close();
  }
}

async function dispatch(service: Service, args: Parsed, io: CliIo, urls: { databaseUrl: string; elasticsearchUrl: string | undefined }): Promise<number> {
  const [sub, name, action, id, ...extra] = args.positionals;
  const print = (value: unknown, text: () => void): void => (args.json ? io.out(JSON.stringify(value, null, 2)) : text());
  const needName = (): string => {
    if (name === undefined) throw new UsageError(`projections ${sub ?? ''}: NAME is missing`);
    return name;
  };
  const noMore = (n: number): void => {
    if (args.positionals.length > n) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[n])}`);
  };
  switch (sub) {
    case 'list': {
      noMore(1);
      const all = await service.list();
      print(all, () => printStatusTable(all, io));
      return EXIT.ok;
    }
    case 'status': {
      noMore(2);
      const all = name === undefined ? await service.list() : [await service.status(name)];
      print(name === undefined ? all : all[0], () => all.forEach((s) => printStatus(s, io)));
      return EXIT.ok;
    }
    case 'rebuild': {
      noMore(2);
      const target = needName();
      const before = await service.status(target);
      await service.rebuild(target);
      if (!args.wait) {
        const status = await service.status(target);
        print(status, () => io.out(`${target}: rebuild requested (live generation ${before.liveGeneration ?? '-'})`));
        return EXIT.ok;
      }
      const outcome = await waitForRebuild(service, target, before, { ...urls, io, json: args.json });
      print(outcome.status, () => printStatus(outcome.status, io));
      if (!outcome.ok) io.err(`${target}: ${outcome.reason}`);
      return outcome.ok ? EXIT.ok : EXIT.failure;
    }
    case 'pause':
    case 'resume': {
      noMore(2);
      const target = needName();
      await (sub === 'pause' ? service.pause(target) : service.resume(target));
      const status = await waitForRequest(service, target, (s: ProjectionStatus) => (sub === 'pause' ? s.state === 'PAUSED' : s.state !== 'PAUSED'));
      print(status, () => {
        printStatus(status, io);
        if (status.state === 'STOPPED') io.err(`${target}: no projector runs it; the request applies when one starts`);
      });
      return EXIT.ok;
    }
    case 'dead-letters': {
      const target = needName();
      if (action === undefined) {
        noMore(2);
        const letters = await service.deadLetters(target, { includeResolved: args.all });
        print(letters, () => printDeadLetters(target, letters, io));
        return EXIT.ok;
      }
      if ((action !== 'retry' && action !== 'skip') || id === undefined || extra.length > 0) {
        throw new UsageError(`projections dead-letters ${target} ${action}: expected "retry ID" or "skip ID"`);
      }
      if (action === 'skip') {
        const letter = await service.skipDeadLetter(target, id);
        print(letter, () => io.out(`${target}: dead letter ${id} skipped (${letter.type} at ${letter.position})`));
        return EXIT.ok;
      }
      const before = await service.deadLetter(target, id);
      await service.retryDeadLetter(target, id);
      const letter = await waitForRetry(service, target, before, urls);
      print(letter, () => printDeadLetters(target, [letter], io));
      if (letter.status !== 'retried') io.err(`${target}: dead letter ${id} still fails: ${letter.error}`);
      return letter.status === 'retried' ? EXIT.ok : EXIT.failure;
    }
    case undefined:
    default:
      throw new UsageError(sub === undefined ? 'projections: a subcommand is missing' : `projections: unknown subcommand ${JSON.stringify(sub)}`);
  }
}

/** A retry is carried out by the lease holder (or here, when no projector runs): done when the letter is retried or failed again. */
async function waitForRetry(
  service: Service,
  name: string,
  before: DeadLetter,
  urls: { databaseUrl: string; elasticsearchUrl: string | undefined },
): Promise<DeadLetter> {
  const settled = (l: DeadLetter): boolean => l.status === 'retried' || l.status === 'skipped' || (l.status === 'pending' && l.attempts > before.attempts);
  return runHere(service, name, urls, async () => {
    const letter = await service.deadLetter(name, before.id);
    return settled(letter) ? letter : undefined;
  });
}
