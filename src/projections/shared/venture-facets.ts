import { isVentureEventType } from '../../write-model/venture/domain/venture.decider';
import type { VentureEvent } from '../../write-model/venture/domain/venture.events';
import type { DocumentView, Envelope, Row, TableSpec } from '../runtime/projection';
import { assertSameTenant, tenantOf } from './documents';

type E = Envelope<VentureEvent>;

/**
 * The sector, country and stage of every venture, kept inside each dashboard projection so its aggregates
 * join tables of one generation at one checkpoint (never two read models at different positions).
 */
export function ventureFacetsTable(name: string): TableSpec {
  return {
    name,
    columns: [
      { name: 'venture_id', type: 'text' },
      { name: 'tenant', type: 'text' },
      { name: 'sector', type: 'text' },
      { name: 'country', type: 'text' },
      { name: 'stage', type: 'text' },
      { name: 'revision', type: 'integer' },
    ],
    primaryKey: ['venture_id'],
    indexes: [{ suffix: 'tenant', definition: '(tenant, sector, country, stage)' }],
  };
}

export function evolveFacets(doc: Row | undefined, event: E): Row | undefined {
  assertSameTenant(doc, event);
  switch (event.type) {
    case 'VentureCreated': {
      const { ventureId, sector, country, stage } = event.data;
      return { venture_id: ventureId, tenant: tenantOf(event), sector, country, stage, revision: event.revision };
    }
    case 'VentureProfileUpdated': {
      const { sector, country } = event.data.changes;
      if (doc === undefined) return undefined;
      if (sector === undefined && country === undefined) return doc;
      return { ...doc, ...(sector !== undefined && { sector }), ...(country !== undefined && { country }), revision: event.revision };
    }
    case 'VentureStageChanged':
      return doc === undefined ? undefined : { ...doc, stage: event.data.to, revision: event.revision };
    default: {
      const _exhaustive: never = event;
      return doc;
    }
  }
}

/** A view over venture events only: `keyOf` ignores the other event types of the projection. */
export function ventureFacetsView<Other extends { readonly type: string }>(name: string): DocumentView<E | Other> {
  const isVenture = (event: E | Other): event is E => isVentureEventType(event.type);
  return {
    table: ventureFacetsTable(name),
    keyOf: (event) => (isVenture(event) ? [event.data.ventureId] : undefined),
    evolve: (doc, event) => (isVenture(event) ? evolveFacets(doc, event) : doc),
  };
}
