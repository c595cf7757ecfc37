/** Remembers which integration events (by eventId) a consumer has already handled. */
export interface DedupeStore {
  has(eventId: string): boolean | Promise<boolean>;
  /** Called only after the handler succeeded. */
  add(eventId: string): void | Promise<void>;
}

/**
 * The last `capacity` event ids in memory (least recently seen evicted first).
 *
 * Caveat: the memory is per process and bounded. A duplicate is caught only while its first copy is among the
 * last `capacity` ids this process saw: after a restart, or after a rebalance hands a partition to another
 * member, the redelivered tail since the last committed offset (and a relay's re-publish after a crash) reaches
 * the handler again. Handlers that must never see a duplicate need a durable store (a table of handled ids
 * written in the same transaction as the handler's effects), or must be idempotent themselves.
 */
export class InMemoryDedupe implements DedupeStore {
  private readonly seen = new Map<string, true>();

  constructor(private readonly capacity = 100_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('dedupe capacity must be a positive integer');
  }

  has(eventId: string): boolean {
    if (!this.seen.has(eventId)) return false;
    this.seen.delete(eventId);
    this.seen.set(eventId, true);
    return true;
  }

  add(eventId: string): void {
    this.seen.delete(eventId);
    this.seen.set(eventId, true);
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.keys().next();
      if (oldest.done !== true) this.seen.delete(oldest.value);
    }
  }

  get size(): number {
    return this.seen.size;
  }
}
