import type { StoredEvent } from '../../write-model/event-store/event-store.port';
import { gedsiEventTypes } from '../../write-model/gedsi/domain/gedsi.decider';
import type { CommittedHook } from '../runtime/controller';
import { gedsiProjection } from '../gedsi/gedsi.projection';
import { venturesProjection } from './ventures.projection';

export interface ChangedVenture {
  readonly tenant: string;
  readonly ventureId: string;
}

/**
 * Per read model, the committed events that change what the API's `Venture` shows: the venture's own events
 * in `ventures` (its fields), GEDSI metric events in `gedsi` (its `gedsiMetrics`; that model's copies of venture
 * events are not news twice). Capital events are left out: after CapitalRequested they name the request, not
 * the venture, so `capitalRequests` changes do not fire `ventureChanged`. Every schema version of these events
 * carries `data.ventureId`; the tenant is in the metadata.
 */
const VENTURE_FACING: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  [venturesProjection.name, new Set<string>(venturesProjection.canHandle)],
  [gedsiProjection.name, new Set<string>(gedsiEventTypes)],
]);

/** The distinct ventures a committed batch of `projection` changed, in the order first seen. */
export function changedVentures(projection: string, events: readonly StoredEvent[]): ChangedVenture[] {
  const types = VENTURE_FACING.get(projection);
  if (types === undefined) return [];
  const changed = new Map<string, ChangedVenture>();
  for (const event of events) {
    const ventureId = event.data['ventureId'];
    const tenant = event.metadata.tenant;
    if (!types.has(event.type) || typeof ventureId !== 'string' || typeof tenant !== 'string' || tenant === '') continue;
    changed.set(JSON.stringify([tenant, ventureId]), { tenant, ventureId });
  }
  return [...changed.values()];
}

/** The projector's post-commit hook that tells `notifier` once per changed venture and batch. */
export function ventureChangeHook(notifier: { notify(tenant: string, ventureId: string): void }): CommittedHook {
  return (projection, events) => {
    for (const { tenant, ventureId } of changedVentures(projection, events)) notifier.notify(tenant, ventureId);
  };
}
