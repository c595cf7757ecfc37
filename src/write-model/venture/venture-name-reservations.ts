import { createHash } from 'node:crypto';
import { DomainError } from '../../shared/decider';
import { deriveEventId, type CommandMetadata } from '../command-runner';
import { expect as expectRevision, WrongExpectedRevisionError, type EventStore, type NewEvent } from '../event-store/event-store.port';

const MAX_ATTEMPTS = 5;

/** Case, width and spacing do not make a different name: "Acme  Ltd" and "acme ltd" are the same venture name. */
export function normalizeVentureName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

/**
 * Unique venture names per tenant, enforced by the event store itself: a name is reserved by appending to a
 * stream named after (tenant, normalised name) with the revision read just before, so of two racing creates
 * exactly one append succeeds and the other sees the reservation. Releasing appends to the same stream, which
 * lets the name be reserved again later. Reserving twice for the same venture is a no-op (retried commands).
 */
export class VentureNameReservations {
  constructor(private readonly store: EventStore) {}

  async reserve(name: string, ventureId: string, metadata: CommandMetadata): Promise<void> {
    await this.change(name, ventureId, metadata, 'VentureNameReserved');
  }

  async release(name: string, ventureId: string, metadata: CommandMetadata): Promise<void> {
    await this.change(name, ventureId, metadata, 'VentureNameReleased');
  }

  private async change(name: string, ventureId: string, m: CommandMetadata, type: 'VentureNameReserved' | 'VentureNameReleased'): Promise<void> {
    const normalizedName = normalizeVentureName(name);
    const stream = `venturename-${createHash('sha256').update(`${m.tenant}\n${normalizedName}`).digest('hex')}`;
    const key = `${m.tenant}:${m.commandId}:${type}:${normalizedName}`;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const history = await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
      const last = history[0];
      const heldBy = last?.type === 'VentureNameReserved' ? last.data['ventureId'] : undefined;
      if (type === 'VentureNameReserved') {
        if (heldBy === ventureId) return;
        if (heldBy !== undefined) throw new DomainError('CONFLICT', `a venture named "${name.trim()}" already exists`, 'name');
      } else if (heldBy !== ventureId) {
        return;
      }
      const event: NewEvent = {
        eventId: deriveEventId(key, 0),
        type,
        schemaVersion: 1,
        data: { tenant: m.tenant, name: name.trim(), normalizedName, ventureId },
        metadata: { commandId: m.commandId, correlationId: m.correlationId, causationId: m.causationId, actor: m.actor, tenant: m.tenant },
      };
      try {
        await this.store.append(stream, [event], last ? expectRevision.exact(last.revision) : expectRevision.noStream, { idempotencyKey: key });
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    throw new DomainError('CONFLICT', `the name "${name.trim()}" is being changed concurrently: retry`, 'name');
  }
}
