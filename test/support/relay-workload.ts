import { randomUUID } from 'node:crypto';
import { expect as expectRevision, type EventStore, type NewEvent } from '../../src/write-model/event-store/event-store.port';

/**
 * A stream of valid domain events for the relay tests and benchmark: `streams` streams across the three contexts,
 * `perStream` events each, appended round by round (one event to every stream per round) so streams interleave in
 * the log as they do in production. Every tenth stream is also preceded by an (unpublished) name reservation.
 */
export interface Workload {
  readonly streams: number;
  readonly perStream: number;
  /** Published events = streams * perStream. */
  readonly total: number;
}

const meta = (i: number): NewEvent['metadata'] => ({ correlationId: `corr-${i}`, causationId: `cause-${i}`, actor: 'test', tenant: 'acme' });

export function eventFor(kind: number, id: string, revision: number): Pick<NewEvent, 'type' | 'schemaVersion' | 'data'> {
  switch (kind) {
    case 0:
      return revision === 0
        ? { type: 'VentureCreated', schemaVersion: 1, data: { ventureId: id, name: `Venture ${id}`, sector: 'Energy', country: 'KE', stage: 'SEED', description: null } }
        : { type: 'VentureProfileUpdated', schemaVersion: 1, data: { ventureId: id, changes: { description: `Revision ${revision} ${'x'.repeat(120)}` } } };
    case 1:
      return {
        type: 'GEDSIMetricUpdated',
        schemaVersion: 2,
        data: { ventureId: id, metricId: 'women_board_pct', period: '2024-Q1', oldValue: revision === 0 ? null : revision - 1, newValue: revision, unit: 'percent' },
      };
    default:
      return revision === 0
        ? { type: 'CapitalRequested', schemaVersion: 1, data: { capitalRequestId: id, ventureId: id, amount: '1000000.00', currency: 'USD', instrument: 'EQUITY', purpose: 'Growth' } }
        : { type: 'InvestmentCommitted', schemaVersion: 1, data: { capitalRequestId: id, investorId: id, amount: '1.00', currency: 'USD', totalCommitted: `${revision}.00` } };
  }
}

const PREFIX = ['venture', 'gedsi', 'capital'] as const;
const expected = (round: number) => (round === 0 ? expectRevision.noStream : expectRevision.exact(round - 1));

export function streamsOf(count: number): { readonly id: string; readonly kind: number; readonly streamId: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const id = randomUUID();
    const kind = i % 3;
    return { id, kind, streamId: `${PREFIX[kind] ?? 'capital'}-${id}` };
  });
}

/** Appends the workload at about `eventsPerSecond`; resolves when every event is in the log. */
export async function writeWorkload(store: EventStore, workload: Omit<Workload, 'total'>, eventsPerSecond: number): Promise<Workload> {
  const streams = streamsOf(workload.streams);
  const started = Date.now();
  let appended = 0;
  for (let round = 0; round < workload.perStream; round++) {
    if (round === 0) {
      await Promise.all(
        streams.filter((_, i) => i % 10 === 0).map((s, i) =>
          store.append(`venturename-${s.id}`, [{ eventId: randomUUID(), type: 'VentureNameReserved', schemaVersion: 1, metadata: meta(i),
            data: { tenant: 'acme', name: `Venture ${s.id}`, normalizedName: `venture ${s.id}`, ventureId: s.id } }], expectRevision.noStream),
        ),
      );
    }
    for (let from = 0; from < streams.length; from += 50) {
      await Promise.all(
        streams.slice(from, from + 50).map((s, i) =>
          store.append(s.streamId, [{ eventId: randomUUID(), metadata: meta(from + i), ...eventFor(s.kind, s.id, round) }], expected(round)),
        ),
      );
      appended += Math.min(50, streams.length - from);
      const ahead = (appended / eventsPerSecond) * 1000 - (Date.now() - started);
      if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
    }
  }
  return { ...workload, total: workload.streams * workload.perStream };
}
