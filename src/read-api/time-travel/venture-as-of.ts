import type { Pool } from 'pg';
import { evolveCapitalRequest } from '../../projections/capital/capital.projection';
import { evolveLatestMetric } from '../../projections/gedsi/gedsi.projection';
import type { Envelope, Row } from '../../projections/runtime/projection';
import type { CapitalEvent } from '../../write-model/capital/domain/capital.events';
import { streamId as capitalStream } from '../../write-model/capital/domain/capital.decider';
import type { EventStore, StoredEvent } from '../../write-model/event-store/event-store.port';
import { streamId as gedsiStream } from '../../write-model/gedsi/domain/gedsi.decider';
import type { GEDSIEvent } from '../../write-model/gedsi/domain/gedsi.events';
import type { CapitalRequestView, MetricView, VentureView } from '../read-models.port';
import { capitalRequestViewOf, metricViewOf } from './row-views';
import { emptyFold, foldVenture } from './venture-fold';
import type { VentureSnapshots } from './venture-snapshots';

/**
 * Time travel over the log: a venture, its latest metrics and its capital requests as they stood at an instant,
 * folded from the events that occurred at or before it through the same pure functions the write model and the
 * projections use. Another tenant's venture is absent, exactly like a missing one.
 */
export class VentureTimeTravel {
  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    private readonly snapshots: VentureSnapshots,
  ) {}

  async venture(tenant: string, ventureId: string, asOf: string): Promise<VentureView | null> {
    const streamId = `venture-${ventureId}`;
    const snapshot = await this.snapshots.latestUsable(streamId, asOf);
    const start = snapshot ?? emptyFold;
    const events = await readAsOf(this.store, streamId, asOf, start.revision + 1);
    const fold = foldVenture(start, events);
    // Written only when the fold passed a snapshot boundary (every 1000 revisions): rare, and then worth the wait.
    await this.snapshots.offer(streamId, start, events);
    if (fold.state.status !== 'CREATED' || fold.tenant !== tenant || fold.createdAt === undefined || fold.updatedAt === undefined) return null;
    const { profile } = fold.state;
    return {
      id: profile.ventureId,
      name: profile.name,
      sector: profile.sector,
      country: profile.country,
      stage: profile.stage,
      description: profile.description,
      createdAt: fold.createdAt,
      updatedAt: fold.updatedAt,
      version: fold.revision,
      asOf,
    };
  }

  async metrics(tenant: string, ventureId: string, asOf: string): Promise<MetricView[]> {
    const events = await readAsOf(this.store, gedsiStream(ventureId), asOf);
    const latest = new Map<string, Row | undefined>();
    for (const e of events) {
      if (e.metadata.tenant !== tenant) return [];
      const event = e as unknown as Envelope<GEDSIEvent>;
      latest.set(event.data.metricId, evolveLatestMetric(latest.get(event.data.metricId), event));
    }
    return [...latest.values()].filter((row): row is Row => row !== undefined).map(metricViewOf).sort((a, b) => (a.metricId < b.metricId ? -1 : 1));
  }

  async capitalRequests(tenant: string, ventureId: string, asOf: string): Promise<CapitalRequestView[]> {
    const res = await this.pool.query<{ id: string }>(
      `SELECT data->>'capitalRequestId' AS id FROM es_events
       WHERE metadata->>'tenant' = $1 AND type = 'CapitalRequested' AND data->>'ventureId' = $2 AND occurred_at < $3::timestamptz + interval '1 millisecond'
       ORDER BY position`,
      [tenant, ventureId, asOf],
    );
    const views: CapitalRequestView[] = [];
    for (const { id } of res.rows) {
      let doc: Row | undefined;
      for (const e of await readAsOf(this.store, capitalStream(id), asOf)) {
        doc = evolveCapitalRequest(doc, e as unknown as Envelope<CapitalEvent>);
      }
      if (doc !== undefined) views.push(capitalRequestViewOf(doc));
    }
    return views;
  }
}

/**
 * The stream's events that occurred at or before `asOf`, an instant to the millisecond as the API shows them
 * (the log keeps microseconds: an event at .123456 occurred "at" .123). Stored occurredAt strings are
 * millisecond ISO instants, so the string comparison is exact.
 */
async function readAsOf(store: EventStore, streamId: string, asOf: string, fromRevision = 0): Promise<StoredEvent[]> {
  const until = new Date(Date.parse(asOf) + 1);
  const events = await store.readStream(streamId, { fromRevision, asOf: until });
  return events.filter((e) => e.occurredAt <= asOf);
}
