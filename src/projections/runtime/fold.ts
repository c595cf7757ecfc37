import type { StoredEvent } from '../../write-model/event-store/event-store.port';
import { keyString, type AnyEnvelope, type DocumentView, type Key, type Row } from './projection';

/** A document as the batch found it (`before`) and as the batch leaves it (`after`). */
export interface DocSlot {
  readonly key: Key;
  readonly before: Row | undefined;
  after: Row | undefined;
  /** Stream revision of the last event folded into this document in the batch. */
  revision?: number;
}

/** The documents one batch touches, per view (same order as the projection's views). */
export class DocSet {
  readonly slots: Map<string, DocSlot>[];

  constructor(viewCount: number) {
    this.slots = Array.from({ length: viewCount }, () => new Map<string, DocSlot>());
  }

  /** Registers a loaded (or known absent) document. */
  put(view: number, key: Key, doc: Row | undefined): void {
    this.slots[view]?.set(keyString(key), { key, before: doc, after: doc });
  }

  /** Like `put`, but the fold starts from no document: writing the result replaces (or deletes) `before`. */
  putEmpty(view: number, key: Key, before: Row | undefined): void {
    this.slots[view]?.set(keyString(key), { key, before, after: undefined });
  }

  get(view: number, key: Key): DocSlot | undefined {
    return this.slots[view]?.get(keyString(key));
  }

  /** Documents whose content the batch changed. */
  changed(view: number): DocSlot[] {
    return [...(this.slots[view]?.values() ?? [])].filter((s) => s.after !== s.before);
  }
}

/** The keys a batch touches, per view: what the runtime loads before folding (a key that throws is the fold's poison). */
export function keysOf(views: readonly DocumentView<AnyEnvelope>[], events: readonly FoldItem[]): Key[][] {
  return views.map((view) => {
    const seen = new Map<string, Key>();
    for (const event of events) {
      if (isUnreadable(event)) continue;
      try {
        const key = view.keyOf(event);
        if (key !== undefined) seen.set(keyString(key), key);
      } catch {
        // folded later, where the same error dead-letters the event
      }
    }
    return [...seen.values()];
  });
}

export type FailureDecision = 'skip' | 'stop';

/** An event that could not even be read as its newest schema version (invalid stored data, no upcaster). */
export interface Unreadable {
  readonly unreadable: StoredEvent;
  readonly error: Error;
}

export type FoldItem = AnyEnvelope | Unreadable;

const isUnreadable = (item: FoldItem): item is Unreadable => 'unreadable' in item;

export interface FoldOutcome {
  /** The poison event a `stop` decision stopped at (nothing of it or after it was applied). */
  readonly stoppedAt?: StoredEvent;
}

/**
 * Folds events in log order into the document set. Each event is all or nothing across views: when one
 * view's evolve throws, none of that event's changes are kept and `onFailure` decides. An event at or below a
 * document's `revision` is not applied again (a replay changes nothing).
 */
export function foldEvents(
  views: readonly DocumentView<AnyEnvelope>[],
  docs: DocSet,
  events: readonly FoldItem[],
  onFailure: (event: StoredEvent, error: Error) => FailureDecision,
): FoldOutcome {
  for (const item of events) {
    if (isUnreadable(item)) {
      if (onFailure(item.unreadable, item.error) === 'stop') return { stoppedAt: item.unreadable };
      continue;
    }
    const event = item;
    const pending: [DocSlot, Row | undefined][] = [];
    try {
      views.forEach((view, v) => {
        const key = view.keyOf(event);
        if (key === undefined) return;
        if (docs.get(v, key) === undefined) docs.put(v, key, undefined);
        const slot = docs.get(v, key) as DocSlot;
        if (!view.insertOnly && isAtOrAfter(slot.after, event.revision)) return;
        pending.push([slot, view.evolve(slot.after, event)]);
      });
    } catch (error) {
      if (onFailure(event, asError(error)) === 'stop') return { stoppedAt: event };
      continue;
    }
    for (const [slot, after] of pending) {
      slot.after = after;
      slot.revision = event.revision;
    }
  }
  return {};
}

function isAtOrAfter(doc: Row | undefined, revision: number): boolean {
  const current = doc?.['revision'];
  return typeof current === 'number' && current >= revision;
}

export const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * The whole projection folded from nothing, in memory: what a read model holds after these events. For unit
 * tests and for comparing a rebuilt read model with a clean one. Poison events throw.
 */
export function projectInMemory(
  views: readonly DocumentView<AnyEnvelope>[],
  events: readonly AnyEnvelope[],
  start?: DocSet,
): DocSet {
  const docs = start ?? new DocSet(views.length);
  foldEvents(views, docs, events, (_event, error) => {
    throw error;
  });
  return docs;
}

/** The documents of one view after `projectInMemory`, sorted by key, absent ones left out. */
export function rowsOf(docs: DocSet, view: number): Row[] {
  return [...(docs.slots[view]?.entries() ?? [])]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, slot]) => slot.after)
    .filter((row): row is Row => row !== undefined);
}

/** A document set whose current documents become the starting point of the next fold (`before` = `after`). */
export function settle(docs: DocSet, viewCount: number): DocSet {
  const next = new DocSet(viewCount);
  docs.slots.forEach((slots, v) => {
    for (const slot of slots.values()) next.put(v, slot.key, slot.after);
  });
  return next;
}
