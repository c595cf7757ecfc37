import { v5 as uuidv5 } from 'uuid';
import { conflict, DomainError, type Command, type Decider, type Event } from '../shared/decider';
import type { SchemaRegistry } from '../shared/schemas/schema-registry';
import { appendConflicts, appendDuration, commandDuration, commandsTotal } from '../infra/observability/metrics';
import { currentTraceparent, inSpan } from '../infra/observability/tracing';
import { expect as expectRevision, WrongExpectedRevisionError, type EventStore, type NewEvent, type StoredEvent } from './event-store/event-store.port';

export interface CommandMetadata {
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: string;
  readonly tenant: string;
  readonly now: string;
  /**
   * Set when a founder acts without the admin role: a command on an existing venture, its GEDSI metrics or its
   * capital requests is refused (FORBIDDEN) unless this subject created the venture. Never stored in events.
   */
  readonly onlyVenturesOf?: string;
}

export interface CommandResult {
  readonly aggregateId: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: string;
  readonly eventTypes: string[];
}

export interface RunCommand<S, C extends Command, E extends Event> {
  readonly decider: Decider<S, C, E>;
  readonly streamId: string;
  readonly aggregateId: string;
  readonly command: C;
  readonly metadata: CommandMetadata;
  /** The revision the client saw; a stale one is a CONFLICT, never retried. */
  readonly expectedRevision?: number;
}

/** Namespace of the event ids derived from (tenant, commandId): a retried command writes the same ids. */
const EVENT_ID_NAMESPACE = 'b8f5d7c2-3a41-4e4f-9a57-2f0c1d6e8a90';
const MAX_ATTEMPTS = 10;

export const deriveEventId = (key: string, index: number): string => uuidv5(`${key}:${index}`, EVENT_ID_NAMESPACE);

/**
 * Load, decide, append: the one way commands change state. Concurrency: the append expects the revision the
 * stream had at load; when the client sent no expected revision a conflict is retried by reloading and deciding
 * again (at most MAX_ATTEMPTS times, then CONFLICT). Idempotency: the (tenant, commandId) pair is the append's
 * idempotency key, so a repeated command returns the first result and appends nothing.
 */
export class CommandRunner {
  constructor(
    private readonly store: EventStore,
    private readonly schemas: SchemaRegistry,
  ) {}

  async run<S, C extends Command, E extends Event>(args: RunCommand<S, C, E>): Promise<CommandResult> {
    const type = args.command.type;
    const stopTimer = commandDuration.startTimer({ type });
    const { commandId, correlationId, causationId } = args.metadata;
    const attributes = { 'command.type': type, 'command.id': commandId, 'stream.id': args.streamId, 'correlation.id': correlationId, 'causation.id': causationId };
    try {
      const result = await inSpan(`command ${type}`, attributes, () => this.decideAndAppend(args), { correlationId });
      commandsTotal.inc({ type, outcome: result.outcome });
      return result.result;
    } catch (error) {
      commandsTotal.inc({ type, outcome: error instanceof DomainError ? (error.code === 'CONFLICT' ? 'conflict' : 'rejected') : 'error' });
      throw error;
    } finally {
      stopTimer();
    }
  }

  private async decideAndAppend<S, C extends Command, E extends Event>(
    args: RunCommand<S, C, E>,
  ): Promise<{ result: CommandResult; outcome: 'ok' | 'duplicate' | 'noop' }> {
    const { metadata, streamId, aggregateId } = args;
    this.schemas.validateCommand(args.command.type, args.command.data);
    const key = `${metadata.tenant}:${metadata.commandId}`;
    // Both reads go out together; the stream read is wasted only on a repeated command.
    const [previous, firstLoad] = await Promise.all([this.store.findAppend(key), this.store.readStream(streamId)]);
    if (previous && previous.streamId !== streamId) {
      throw conflict(`commandId ${metadata.commandId} was already used for another command`);
    }
    if (previous) {
      return { outcome: 'duplicate', result: toResult(aggregateId, previous.streamId, previous.nextRevision, previous.position, previous.eventTypes) };
    }

    for (let attempt = 1; ; attempt++) {
      const history = attempt === 1 ? firstLoad : await this.store.readStream(streamId);
      assertTenant(history, metadata.tenant, streamId);
      const revision = history.length - 1;
      if (args.expectedRevision !== undefined && args.expectedRevision !== revision) {
        throw conflict(`${streamId} is at revision ${revision}, not the expected ${args.expectedRevision}: reload and retry`);
      }
      // Stored events were validated against their schema and upcast on read: they are the aggregate's events.
      const state = history.reduce((s, e) => args.decider.evolve(s, { type: e.type, data: e.data } as E), args.decider.initialState());
      const decided = args.decider.decide(args.command, state);
      if (decided.length === 0) {
        return { outcome: 'noop', result: toResult(aggregateId, streamId, revision, history[history.length - 1]?.position ?? '0', []) };
      }
      const events = decided.map((e, i) => this.envelope(e, key, i, metadata));
      const stopAppend = appendDuration.startTimer();
      try {
        const appended = await this.store.append(streamId, events, revision < 0 ? expectRevision.noStream : expectRevision.exact(revision), {
          idempotencyKey: key,
        });
        return {
          outcome: appended.duplicate ? 'duplicate' : 'ok',
          result: toResult(aggregateId, appended.streamId, appended.nextRevision, appended.position, appended.eventTypes),
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        appendConflicts.inc();
        if (args.expectedRevision !== undefined) throw conflict(`${streamId} changed concurrently: reload and retry`);
        if (attempt >= MAX_ATTEMPTS) throw conflict(`${streamId} kept changing during ${MAX_ATTEMPTS} attempts: retry later`);
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
      } finally {
        stopAppend();
      }
    }
  }

  private envelope(event: Event, key: string, index: number, m: CommandMetadata): NewEvent {
    const traceparent = currentTraceparent();
    return {
      eventId: deriveEventId(key, index),
      type: event.type,
      schemaVersion: this.schemas.currentVersion(event.type),
      data: event.data,
      metadata: {
        commandId: m.commandId,
        correlationId: m.correlationId,
        causationId: m.causationId,
        actor: m.actor,
        tenant: m.tenant,
        ...(traceparent !== undefined && { traceparent }),
      },
    };
  }
}

/** A stream of another tenant does not exist for this one. */
function assertTenant(history: readonly StoredEvent[], tenant: string, streamId: string): void {
  const owner = history[0]?.metadata.tenant;
  if (owner !== undefined && owner !== tenant) throw new DomainError('NOT_FOUND', `${streamId.split('-')[0] ?? 'aggregate'} not found`);
}

function toResult(aggregateId: string, streamId: string, revision: number, position: string, eventTypes: readonly string[]): CommandResult {
  return { aggregateId, streamId, revision, position, eventTypes: [...eventTypes] };
}
