import { conflict, notFound } from '../../shared/decider';
import type { CommandMetadata, CommandResult, CommandRunner } from '../../write-model/command-runner';
import type { EventStore } from '../../write-model/event-store/event-store.port';
import type { VentureCommand } from '../../write-model/venture/domain/venture.commands';
import { streamId as ventureStreamId, ventureDecider } from '../../write-model/venture/domain/venture.decider';
import type { VentureEvent } from '../../write-model/venture/domain/venture.events';
import type { VentureState } from '../../write-model/venture/domain/venture.state';
import { normalizeVentureName, type VentureNameReservations } from '../../write-model/venture/venture-name-reservations';
import type { Logger } from '../../infra/logger';
import { loadAggregate } from './load-aggregate';
import { assertVentureOwner } from './tenant-streams';

/** The name a venture has after `events` on top of `state`, if they set one. */
function nameSetBy(events: readonly VentureEvent[]): string | undefined {
  let name: string | undefined;
  for (const event of events) {
    if (event.type === 'VentureCreated') name = event.data.name;
    if (event.type === 'VentureProfileUpdated' && event.data.changes.name !== undefined) name = event.data.changes.name;
  }
  return name;
}

const currentName = (state: VentureState): string | undefined => (state.status === 'CREATED' ? state.profile.name : undefined);
const sameName = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && normalizeVentureName(a) === normalizeVentureName(b);

/**
 * Venture commands with the unique-name-per-tenant rule. The command is decided first against the current
 * state, so bad input fails before a reservation is written (the log stays untouched); a new name is then
 * reserved (of two racing requests for one name exactly one wins), the command runs, and afterwards every name
 * involved that the venture does not carry (the old name after a rename, the new one after a failure) is
 * released.
 */
export class VentureWrites {
  constructor(
    private readonly store: EventStore,
    private readonly runner: CommandRunner,
    private readonly names: VentureNameReservations,
    private readonly logger: Logger,
  ) {}

  async run(command: VentureCommand, metadata: CommandMetadata, expectedRevision?: number): Promise<CommandResult> {
    const { ventureId } = command.data;
    const streamId = ventureStreamId(ventureId);
    const loaded = await loadAggregate(this.store, ventureDecider, streamId);
    if (loaded.tenant === metadata.tenant) await assertVentureOwner(this.store, ventureId, metadata.onlyVenturesOf, loaded.first);
    let newName: string | undefined;
    try {
      if (loaded.tenant !== undefined && loaded.tenant !== metadata.tenant) throw notFound(`venture ${ventureId} not found`);
      if (expectedRevision !== undefined && expectedRevision !== loaded.revision) throw conflict('stale expected revision');
      newName = nameSetBy(ventureDecider.decide(command, loaded.state));
    } catch {
      // A retried command (the runner returns its recorded result) or one the runner refuses the same way,
      // appending nothing. Should the state have changed meanwhile, a rename is refused: it holds no reservation.
      return this.runner.run({ ...this.args(command, metadata, expectedRevision), decider: withoutRenames });
    }
    const oldName = currentName(loaded.state);
    if (newName === undefined || sameName(newName, oldName)) {
      return this.runner.run({ ...this.args(command, metadata, expectedRevision), decider: withoutRenames });
    }
    await this.names.reserve(newName, ventureId, metadata);
    try {
      return await this.runner.run({ ...this.args(command, metadata, expectedRevision), decider: ventureDecider });
    } finally {
      await this.releaseUnused(ventureId, [newName, oldName], metadata);
    }
  }

  private args(command: VentureCommand, metadata: CommandMetadata, expectedRevision: number | undefined) {
    const { ventureId } = command.data;
    return { streamId: ventureStreamId(ventureId), aggregateId: ventureId, command, metadata, ...(expectedRevision !== undefined && { expectedRevision }) };
  }

  /** Releases the names the venture does not carry now. A failure here leaves a name reserved: logged, not thrown. */
  private async releaseUnused(ventureId: string, names: readonly (string | undefined)[], metadata: CommandMetadata): Promise<void> {
    try {
      const { state } = await loadAggregate(this.store, ventureDecider, ventureStreamId(ventureId));
      for (const name of names) {
        if (name !== undefined && !sameName(name, currentName(state))) await this.names.release(name, ventureId, metadata);
      }
    } catch (error: unknown) {
      this.logger.error({ err: error, ventureId, correlationId: metadata.correlationId }, 'could not release a venture name reservation');
    }
  }
}

/** The venture decider, refusing any command that would change the name (used where no reservation is held). */
const withoutRenames: typeof ventureDecider = {
  ...ventureDecider,
  decide: (command, state) => {
    const events = ventureDecider.decide(command, state);
    const name = nameSetBy(events);
    if (name !== undefined && !sameName(name, currentName(state))) throw conflict('the venture changed concurrently: retry');
    return events;
  },
};
