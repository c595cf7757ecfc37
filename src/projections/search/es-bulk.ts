import type { Row } from '../runtime/projection';

/** One document write of a batch: index the document at its version, or delete it. */
export interface DocWrite {
  readonly id: string;
  readonly version: number;
  readonly doc: Row | undefined;
}

export interface BulkItemOutcome {
  readonly status: number;
  readonly error?: { readonly type?: string; readonly reason?: string | null } | undefined;
}

export interface BulkVerdict {
  /** Written, or refused because the index already holds a newer version (409: what we wanted is there). */
  readonly done: DocWrite[];
  /** Failed for a reason that may pass (429 too many requests, 5xx, a shard not available): send again. */
  readonly retry: DocWrite[];
  /** Refused for good (400: the document does not fit the mapping): a poison, retrying changes nothing. */
  readonly rejected: { readonly write: DocWrite; readonly reason: string }[];
}

/** Sorts a bulk response's items (in request order) into done, to retry, and rejected. */
export function judgeBulk(writes: readonly DocWrite[], items: readonly BulkItemOutcome[]): BulkVerdict {
  const verdict: { done: DocWrite[]; retry: DocWrite[]; rejected: { write: DocWrite; reason: string }[] } = { done: [], retry: [], rejected: [] };
  writes.forEach((write, i) => {
    const item = items[i];
    if (item === undefined) return verdict.retry.push(write);
    if (item.status < 300 || item.status === 409 || (item.status === 404 && write.doc === undefined)) return verdict.done.push(write);
    if (item.status === 429 || item.status >= 500) return verdict.retry.push(write);
    verdict.rejected.push({ write, reason: `${item.status} ${item.error?.type ?? 'error'}: ${item.error?.reason ?? ''}`.trim() });
  });
  return verdict;
}

/**
 * The bulk body: `index` (or `delete`) with the stream revision as external version. `external_gte` lets an
 * operator's retry write a document again at the version it already has.
 */
export function bulkBody(index: string, writes: readonly DocWrite[], versionType: 'external' | 'external_gte' = 'external'): object[] {
  const body: object[] = [];
  for (const w of writes) {
    const meta = { _index: index, _id: w.id, version: w.version, version_type: versionType };
    if (w.doc === undefined) body.push({ delete: meta });
    else body.push({ index: meta }, w.doc);
  }
  return body;
}
