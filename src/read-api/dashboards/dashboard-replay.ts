import type { Pool } from 'pg';
import { capitalProjection } from '../../projections/capital/capital.projection';
import { gedsiProjection } from '../../projections/gedsi/gedsi.projection';
import { DocSet, foldEvents, rowsOf } from '../../projections/runtime/fold';
import type { PgProjection } from '../../projections/runtime/projection';
import type { SchemaRegistry } from '../../shared/schemas/schema-registry';
import type { StoredEvent } from '../../write-model/event-store/event-store.port';
import type { CapitalDashboardView, DashboardFilter, GEDSIDashboardView } from '../read-models.port';
import { capitalDashboardOf, gedsiDashboardOf } from './dashboard-aggregates';

const BATCH = 5000;

interface LogRow {
  position: string;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: StoredEvent['metadata'];
  occurred_at: Date;
}

const viewIndex = (projection: PgProjection, table: string): number => {
  const index = projection.views.findIndex((view) => view.table.name === table);
  if (index < 0) throw new Error(`projection ${projection.name} has no table ${table}`);
  return index;
};

/**
 * Dashboards as they stood at an instant: the tenant's events that occurred up to then are read in log order
 * (keyset batches over the tenant index) and folded in memory through the projection's own pure views, then
 * aggregated like the live read model. Cost grows with the tenant's log: see docs/api.md for the measured rate.
 */
export class DashboardReplay {
  constructor(
    private readonly pool: Pool,
    private readonly schemas: SchemaRegistry,
  ) {}

  async gedsi(tenant: string, filter: DashboardFilter, asOf: string): Promise<GEDSIDashboardView> {
    const docs = await this.replay(gedsiProjection, tenant, asOf);
    return gedsiDashboardOf(rowsOf(docs, viewIndex(gedsiProjection, 'gedsi_ventures')), rowsOf(docs, viewIndex(gedsiProjection, 'gedsi_latest')), filter);
  }

  async capital(tenant: string, filter: DashboardFilter, asOf: string): Promise<CapitalDashboardView> {
    const docs = await this.replay(capitalProjection, tenant, asOf);
    return capitalDashboardOf(rowsOf(docs, viewIndex(capitalProjection, 'capital_ventures')), rowsOf(docs, viewIndex(capitalProjection, 'capital_requests')), filter);
  }

  /** Folds every event of the projection's types, of one tenant, that occurred at or before `asOf`. */
  async replay(projection: PgProjection, tenant: string, asOf: string): Promise<DocSet> {
    const docs = new DocSet(projection.views.length);
    let after = '0';
    for (;;) {
      const res = await this.pool.query<LogRow>(
        `SELECT position::text AS position, event_id, stream_id, revision, type, schema_version, data, metadata, occurred_at
         FROM es_events
         WHERE metadata->>'tenant' = $1 AND position > $2::bigint AND type = ANY($3::text[]) AND occurred_at < $4::timestamptz + interval '1 millisecond'
         ORDER BY es_events.position LIMIT ${BATCH}`,
        [tenant, after, projection.canHandle, asOf],
      );
      const events = res.rows.map((row) => this.schemas.upcast(toStored(row)));
      // A poison event is skipped here as the live projection skips it (its policy), so both agree.
      foldEvents(projection.views, docs, events, () => 'skip');
      const last = res.rows[res.rows.length - 1];
      if (last === undefined || res.rows.length < BATCH) return docs;
      after = last.position;
    }
  }
}

function toStored(row: LogRow): StoredEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    occurredAt: row.occurred_at.toISOString(),
    data: row.data,
    metadata: row.metadata,
  };
}
