import { formatAmount } from '../../shared/money';
import { capitalEventTypes, isCapitalEventType } from '../../write-model/capital/domain/capital.decider';
import type { CapitalEvent } from '../../write-model/capital/domain/capital.events';
import { evolve, initialState, type CapitalState } from '../../write-model/capital/domain/capital.state';
import type { VentureEvent } from '../../write-model/venture/domain/venture.events';
import { ventureEventTypes } from '../../write-model/venture/domain/venture.decider';
import { pgProjection, type DocumentView, type Envelope, type Row } from '../runtime/projection';
import { assertSameTenant, isoMillis, tenantOf } from '../shared/documents';
import { decodeState, encodeState } from '../shared/state-codec';
import { ventureFacetsView } from '../shared/venture-facets';
import { requestViewText, toRequest } from './capital.queries';
import { capitalRequestsTable } from './capital.tables';

type C = Envelope<CapitalEvent>;
type E = C | Envelope<VentureEvent>;

const isCapital = (event: E): event is C => isCapitalEventType(event.type);

/**
 * A capital request after the event, folded with the capital aggregate's own `evolve` (the status the
 * contract shows is exactly the one the write model decides with). Pure; an amount in another currency than
 * the request's, or one the aggregate's evolve cannot parse, is a poison event.
 */
export function evolveCapitalRequest(doc: Row | undefined, event: C): Row | undefined {
  assertSameTenant(doc, event);
  const currency: unknown = (event.data as Readonly<Record<string, unknown>>)['currency'];
  if (doc !== undefined && event.type !== 'CapitalRequested' && currency !== undefined && currency !== doc['currency']) {
    throw new Error(`${event.type} in ${JSON.stringify(currency)} for a request in ${String(doc['currency'])}`);
  }
  const before = doc === undefined ? initialState() : decodeState<CapitalState>(String(doc['state']));
  const next = evolve(before, event);
  if (next.status === 'NONE' || next === before) return doc;
  const money = (minor: bigint): string => formatAmount(minor, next.currency);
  const row = {
    id: next.capitalRequestId,
    venture_id: next.ventureId,
    tenant: tenantOf(event),
    currency: next.currency,
    instrument: next.instrument,
    purpose: event.type === 'CapitalRequested' ? event.data.purpose : String(doc?.['purpose'] ?? ''),
    status: next.status,
    requested: money(next.requested),
    committed: money(next.committed),
    captured: money(next.captured),
    refunded: money(next.refunded),
    disbursed: money(next.disbursed),
    requested_at: event.type === 'CapitalRequested' ? event.occurredAt : String(doc?.['requested_at'] ?? event.occurredAt),
    updated_at: event.occurredAt,
    state: encodeState(next),
    revision: event.revision,
  };
  const view = toRequest(row);
  return { ...row, view: requestViewText({ ...view, requestedAt: isoMillis(view.requestedAt), updatedAt: isoMillis(view.updatedAt) }) };
}

const requestsView: DocumentView<E> = {
  table: capitalRequestsTable,
  keyOf: (event) => (isCapital(event) ? [event.data.capitalRequestId] : undefined),
  evolve: (doc, event) => (isCapital(event) ? evolveCapitalRequest(doc, event) : doc),
};

/** Capital requests and the facets the capital dashboard filters by. */
export const capitalProjection = pgProjection<CapitalEvent | VentureEvent>({
  name: 'capital',
  // 2: every request row carries its CapitalRequest view (a changed version rebuilds the read model at start).
  version: 2,
  canHandle: [...capitalEventTypes, ...ventureEventTypes],
  views: [requestsView, ventureFacetsView<C>('capital_ventures')],
  onPoison: 'skip',
});
