import type { StoredEvent } from '../../write-model/event-store/event-store.port';
import { asError, type FoldItem } from './fold';

export interface PreparedBatch {
  /** Events after the checkpoint that the projection handles, upcast (or marked unreadable), in log order. */
  readonly items: FoldItem[];
  /** Every event after the checkpoint, handled or not (the checkpoint moves past all of them). */
  readonly fresh: StoredEvent[];
}

export interface PrepareContext {
  readonly canHandle: ReadonlySet<string>;
  readonly compare: (a: string, b: string) => number;
  /** The event at its newest schema version; throws when the stored event is invalid. */
  readonly upcast: (event: StoredEvent) => StoredEvent;
}

/**
 * Drops what is at or below the checkpoint (a replayed batch changes nothing), then keeps the handled types
 * and upcasts them one by one, so one invalid stored event becomes one dead letter instead of a stuck batch.
 * Unhandled types are never upcast: the log may hold types this build does not know.
 */
export function prepareBatch(events: readonly StoredEvent[], checkpoint: string | undefined, ctx: PrepareContext): PreparedBatch {
  const fresh = checkpoint === undefined ? [...events] : events.filter((e) => ctx.compare(e.position, checkpoint) > 0);
  const items: FoldItem[] = [];
  for (const event of fresh) {
    if (!ctx.canHandle.has(event.type)) continue;
    try {
      items.push(ctx.upcast(event));
    } catch (error) {
      items.push({ unreadable: event, error: asError(error) });
    }
  }
  return { items, fresh };
}

/** The checkpoint after a batch: its last event, or the event before the one a `stop` policy stopped at. */
export function checkpointAfter(fresh: readonly StoredEvent[], previous: string | undefined, stoppedAt: StoredEvent | undefined): string | undefined {
  if (stoppedAt === undefined) return fresh[fresh.length - 1]?.position ?? previous;
  const index = fresh.findIndex((e) => e.eventId === stoppedAt.eventId);
  return index > 0 ? fresh[index - 1]?.position : previous;
}
