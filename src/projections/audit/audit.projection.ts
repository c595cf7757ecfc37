import type { AnyEnvelope, DocumentView, PgProjection, Row, TableSpec } from '../runtime/projection';
import { tenantOf } from '../shared/documents';

/**
 * What the audit trail needs beyond the log itself: the log indexed by tenant, stream, type, actor,
 * correlation and time (the log's own metadata is JSON without indexes). The data stays in the log; a query
 * joins `es_events` by position. One row per event, written once.
 */
export const auditEventsTable: TableSpec = {
  name: 'audit_events',
  columns: [
    { name: 'position', type: 'bigint' },
    { name: 'event_id', type: 'text' },
    { name: 'tenant', type: 'text' },
    { name: 'stream_id', type: 'text' },
    { name: 'revision', type: 'integer' },
    { name: 'type', type: 'text' },
    { name: 'actor', type: 'text' },
    { name: 'correlation_id', type: 'text' },
    { name: 'causation_id', type: 'text' },
    { name: 'command_id', type: 'text', nullable: true },
    { name: 'occurred_at', type: 'timestamptz' },
  ],
  primaryKey: ['position'],
  indexes: [
    { suffix: 'tenant', definition: '(tenant, position)' },
    { suffix: 'stream', definition: '(tenant, stream_id, position)' },
    { suffix: 'type', definition: '(tenant, type, position)' },
    { suffix: 'actor', definition: '(tenant, actor, position)' },
    { suffix: 'correlation', definition: '(tenant, correlation_id, position)' },
    { suffix: 'occurred', definition: '(tenant, occurred_at, position)' },
  ],
};

const DECIMAL_POSITION = /^[0-9]{1,19}$/;

export function auditRow(event: AnyEnvelope): Row {
  if (!DECIMAL_POSITION.test(event.position)) throw new Error(`the audit index needs decimal log positions, got ${JSON.stringify(event.position)}`);
  const m = event.metadata;
  return {
    position: event.position,
    event_id: event.eventId,
    tenant: tenantOf(event),
    stream_id: event.streamId,
    revision: event.revision,
    type: event.type,
    actor: m.actor,
    correlation_id: m.correlationId,
    causation_id: m.causationId,
    command_id: typeof m.commandId === 'string' ? m.commandId : null,
    occurred_at: event.occurredAt,
  };
}

const auditView: DocumentView<AnyEnvelope> = {
  table: auditEventsTable,
  keyOf: (event) => [event.position],
  evolve: (_doc, event) => auditRow(event),
  insertOnly: true,
};

/**
 * The audit index covers every event type that has a schema (`schemaRegistry().eventTypes()`: schemas/ is
 * the one list of what the log may hold); types without a schema are not events of this system.
 */
export function auditProjection(eventTypes: readonly string[]): PgProjection {
  return { target: 'postgres', name: 'audit', version: 1, canHandle: eventTypes, views: [auditView], onPoison: 'skip' };
}
