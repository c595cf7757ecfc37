import type { GEDSIEvent } from '../../write-model/gedsi/domain/gedsi.events';
import { gedsiEventTypes, isGEDSIEventType } from '../../write-model/gedsi/domain/gedsi.decider';
import type { VentureEvent } from '../../write-model/venture/domain/venture.events';
import { ventureEventTypes } from '../../write-model/venture/domain/venture.decider';
import { pgProjection, type DocumentView, type Envelope, type Row } from '../runtime/projection';
import { assertSameTenant, isoMillis, tenantOf } from '../shared/documents';
import { ventureFacetsView } from '../shared/venture-facets';
import { metricViewText, toMetric, type MetricRow } from './gedsi.queries';
import { gedsiLatestTable, gedsiMetricsTable } from './gedsi.tables';
import { periodOrder } from './period-order';

type G = Envelope<GEDSIEvent>;
type E = G | Envelope<VentureEvent>;

const isGedsi = (event: E): event is G => isGEDSIEventType(event.type);

/** The value of one metric for one period after the event. Verifying a value that is no longer current changes nothing. */
export function evolveMetricPeriod(doc: Row | undefined, event: G): Row | undefined {
  assertSameTenant(doc, event);
  switch (event.type) {
    case 'GEDSIMetricUpdated': {
      const { ventureId, metricId, period, newValue, unit } = event.data;
      return {
        venture_id: ventureId,
        metric_id: metricId,
        period,
        tenant: tenantOf(event),
        value: newValue,
        unit,
        verified: false,
        updated_at: event.occurredAt,
        updated_by: event.metadata.actor,
        verified_at: null,
        verified_by: null,
        period_order: periodOrder(period),
        revision: event.revision,
      };
    }
    case 'GEDSIMetricVerified':
      if (doc === undefined || doc['value'] !== event.data.value) return doc;
      return { ...doc, verified: true, verified_at: event.occurredAt, verified_by: event.data.verifiedBy, revision: event.revision };
    default: {
      const _exhaustive: never = event;
      return doc;
    }
  }
}

/** The latest period of a metric: a value for an earlier period than the latest leaves it as it is. */
export function evolveLatestMetric(doc: Row | undefined, event: G): Row | undefined {
  assertSameTenant(doc, event);
  if (event.type === 'GEDSIMetricUpdated') {
    const older = doc !== undefined && periodOrder(event.data.period) < Number(doc['period_order']);
    return older ? doc : evolveMetricPeriod(doc, event);
  }
  return doc !== undefined && doc['period'] === event.data.period ? evolveMetricPeriod(doc, event) : doc;
}

const metricsView: DocumentView<E> = {
  table: gedsiMetricsTable,
  keyOf: (event) => (isGedsi(event) ? [event.data.ventureId, event.data.metricId, event.data.period] : undefined),
  evolve: (doc, event) => (isGedsi(event) ? evolveMetricPeriod(doc, event) : doc),
};

/** The latest row with its `view` (the GEDSIMetric the API serves, as JSON text), written only when the row changed. */
export function evolveLatestMetricWithView(doc: Row | undefined, event: G): Row | undefined {
  const next = evolveLatestMetric(doc, event);
  if (next === doc || next === undefined) return next;
  const metric = toMetric(next as unknown as MetricRow);
  return { ...next, view: metricViewText({ ...metric, updatedAt: isoMillis(metric.updatedAt) }) };
}

const latestView: DocumentView<E> = {
  table: gedsiLatestTable,
  keyOf: (event) => (isGedsi(event) ? [event.data.ventureId, event.data.metricId] : undefined),
  evolve: (doc, event) => (isGedsi(event) ? evolveLatestMetricWithView(doc, event) : doc),
};

/** Each venture's GEDSI metrics (latest and per period) and the facets the GEDSI dashboard groups by. */
export const gedsiProjection = pgProjection<GEDSIEvent | VentureEvent>({
  name: 'gedsi',
  // 2: the latest rows carry their GEDSIMetric view (a changed version rebuilds the read model at start).
  version: 2,
  canHandle: [...gedsiEventTypes, ...ventureEventTypes],
  views: [metricsView, latestView, ventureFacetsView<G>('gedsi_ventures')],
  onPoison: 'skip',
});
