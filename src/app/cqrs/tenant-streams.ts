import { DomainError } from '../../shared/decider';
import type { EventStore } from '../../write-model/event-store/event-store.port';

/**
 * A stream belongs to the tenant of its first event. A stream of another tenant is reported exactly like a
 * missing one (NOT_FOUND, naming the input field that pointed at it), so a caller cannot probe other tenants.
 */
export async function assertStreamInTenant(
  store: EventStore,
  streamId: string,
  tenant: string,
  notFound: { readonly message: string; readonly field: string },
): Promise<void> {
  const [first] = await store.readStream(streamId, { maxCount: 1 });
  if (first === undefined || first.metadata.tenant !== tenant) throw new DomainError('NOT_FOUND', notFound.message, notFound.field);
}
