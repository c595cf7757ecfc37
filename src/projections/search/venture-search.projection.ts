import { ventureEventTypes } from '../../write-model/venture/domain/venture.decider';
import type { VentureEvent } from '../../write-model/venture/domain/venture.events';
import { esProjection, type EsIndexSpec } from '../runtime/projection';
import { venturesView } from '../ventures/ventures.projection';

const text = { type: 'text', fields: { raw: { type: 'keyword' } } } as const;

/** The venture search index: the ventures document, full text on name, description, sector, country, stage. */
export const ventureSearchIndex: EsIndexSpec = {
  alias: 'ventures',
  idField: 'id',
  settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '1s' },
  mappings: {
    dynamic: 'strict',
    properties: {
      id: { type: 'keyword' },
      tenant: { type: 'keyword' },
      name: text,
      description: { type: 'text' },
      sector: text,
      country: text,
      stage: text,
      created_at: { type: 'date' },
      updated_at: { type: 'date' },
      revision: { type: 'integer' },
    },
  },
};

/**
 * The same documents as the ventures read model (the same pure evolve), indexed in Elasticsearch with the
 * venture stream's revision as external version: a replayed or late write never overwrites a newer document.
 */
export const ventureSearchProjection = esProjection<VentureEvent>({
  name: 'venture_search',
  version: 1,
  canHandle: ventureEventTypes,
  views: [venturesView],
  onPoison: 'skip',
  index: ventureSearchIndex,
});
