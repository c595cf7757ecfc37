import type { Row } from './projection';

const ABSENT = Symbol('absent');

/**
 * The documents a runner wrote last, so the next batches need not load them again (a bounded LRU per view,
 * that also remembers documents known not to exist). Sound only because the runner is the one writer of its
 * generation while it holds the lease; it is filled after a commit, cleared after any failure, and lives as
 * long as the runner (an operator's retry restarts the runners).
 */
export class DocCache {
  private maps: Map<string, Row | typeof ABSENT>[];

  constructor(
    views: number,
    private readonly capacityPerView: number,
  ) {
    this.maps = Array.from({ length: views }, () => new Map<string, Row | typeof ABSENT>());
  }

  /** `{ hit: false }` when unknown; `{ hit: true, doc }` with `doc` undefined when known absent. */
  get(view: number, key: string): { hit: false } | { hit: true; doc: Row | undefined } {
    const map = this.maps[view];
    const found = map?.get(key);
    if (map === undefined || found === undefined) return { hit: false };
    map.delete(key);
    map.set(key, found);
    return { hit: true, doc: found === ABSENT ? undefined : found };
  }

  /** What the runner knows without asking the database: a cached document, or that there is none. */
  lookup(view: number, key: string): { hit: false } | { hit: true; doc: Row | undefined } {
    const cached = this.get(view, key);
    if (cached.hit || !this.knownAbsent(view, key)) return cached;
    return { hit: true, doc: undefined };
  }

  set(view: number, key: string, doc: Row | undefined): void {
    const map = this.maps[view];
    if (map === undefined) return;
    map.delete(key);
    map.set(key, doc ?? ABSENT);
    if (doc !== undefined) this.written(view, key);
    // Evict in bulk, keeping the most recently used: deleting one entry at a time from the front of a Map
    // leaves holes that every later eviction walks again (quadratic over a rebuild).
    if (map.size > this.capacityPerView * 1.25) this.maps[view] = new Map([...map.entries()].slice(-this.capacityPerView));
  }

  clear(): void {
    for (const map of this.maps) map.clear();
    this.everWritten = undefined;
  }

  /**
   * For a generation this runner builds from nothing: the keys of every document written so far. A key not in
   * here has no document, without asking the database (most keys of a rebuild are new).
   */
  private everWritten: Set<string>[] | undefined;

  startedEmpty(): void {
    this.everWritten = this.maps.map(() => new Set<string>());
  }

  /** Once the runner is at the head (small batches), the key set is not worth its memory any more. */
  stopTracking(): void {
    this.everWritten = undefined;
  }

  knownAbsent(view: number, key: string): boolean {
    return this.everWritten !== undefined && !(this.everWritten[view]?.has(key) ?? true);
  }

  written(view: number, key: string): void {
    const set = this.everWritten?.[view];
    if (set === undefined) return;
    set.add(key);
    if (set.size > MAX_TRACKED_KEYS) this.everWritten = undefined;
  }
}

const MAX_TRACKED_KEYS = 2_000_000;
