import { DomainError } from '../../shared/decider';
import type { EventStore, StoredEvent } from '../../write-model/event-store/event-store.port';
import { streamId as ventureStreamId } from '../../write-model/venture/domain/venture.decider';

/**
 * A stream belongs to the tenant of its first event. A stream of another tenant is reported exactly like a
 * missing one (NOT_FOUND, naming the input field that pointed at it), so a caller cannot probe other tenants.
 * Returns that first event.
 */
export async function assertStreamInTenant(
  store: EventStore,
  streamId: string,
  tenant: string,
  notFound: { readonly message: string; readonly field: string },
): Promise<StoredEvent> {
  const [first] = await store.readStream(streamId, { maxCount: 1 });
  if (first === undefined || first.metadata.tenant !== tenant) throw new DomainError('NOT_FOUND', notFound.message, notFound.field);
  return first;
}

/**
 * A venture belongs to the subject who created it (the actor of its first event). When the command is limited
 * to its actor's ventures (`onlyVenturesOf`, a founder without admin), anyone else's venture is FORBIDDEN.
 * `created` is the venture stream's first event, when the caller has read it already.
 */
export async function assertVentureOwner(
  store: EventStore,
  ventureId: string,
  onlyVenturesOf: string | undefined,
  created?: StoredEvent,
): Promise<void> {
  if (onlyVenturesOf === undefined) return;
  const first = created ?? (await store.readStream(ventureStreamId(ventureId), { maxCount: 1 }))[0];
  if (first !== undefined && first.metadata.actor !== onlyVenturesOf) {
    throw new DomainError('FORBIDDEN', `venture ${ventureId} belongs to another founder: only its founder or an admin may change it`, 'ventureId');
  }
}
