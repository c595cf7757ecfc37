import type { VentureEvent } from '../../write-model/venture/domain/venture.events';
import { ventureEventTypes } from '../../write-model/venture/domain/venture.decider';
import { pgProjection, type DocumentView, type Envelope, type Row } from '../runtime/projection';
import { assertSameTenant, tenantOf } from '../shared/documents';
import { venturesTable } from './ventures.tables';

type E = Envelope<VentureEvent>;

/** The venture document after an event; pure. An update of a venture never created leaves nothing. */
export function evolveVenture(doc: Row | undefined, event: E): Row | undefined {
  assertSameTenant(doc, event);
  const stamp = { updated_at: event.occurredAt, revision: event.revision };
  switch (event.type) {
    case 'VentureCreated': {
      const { ventureId, name, sector, country, stage, description } = event.data;
      return { id: ventureId, tenant: tenantOf(event), name, sector, country, stage, description, created_at: event.occurredAt, ...stamp };
    }
    case 'VentureProfileUpdated': {
      if (doc === undefined) return undefined;
      const { name, sector, country, description } = event.data.changes;
      return {
        ...doc,
        ...(name !== undefined && { name }),
        ...(sector !== undefined && { sector }),
        ...(country !== undefined && { country }),
        ...(description !== undefined && { description }),
        ...stamp,
      };
    }
    case 'VentureStageChanged':
      return doc === undefined ? undefined : { ...doc, stage: event.data.to, ...stamp };
    default: {
      const _exhaustive: never = event;
      return doc;
    }
  }
}

export const venturesView: DocumentView<E> = {
  table: venturesTable,
  keyOf: (event) => [event.data.ventureId],
  evolve: evolveVenture,
};

export const venturesProjection = pgProjection<VentureEvent>({
  name: 'ventures',
  version: 1,
  canHandle: ventureEventTypes,
  views: [venturesView],
  onPoison: 'skip',
});
