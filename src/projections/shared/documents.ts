import type { AnyEnvelope, Row } from '../runtime/projection';

/** Documents never cross tenants: an event of another tenant for an existing document is a poison event. */
export function assertSameTenant(doc: Row | undefined, event: AnyEnvelope): void {
  if (doc !== undefined && doc['tenant'] !== event.metadata.tenant) {
    throw new Error(`event ${event.eventId} of tenant ${JSON.stringify(event.metadata.tenant)} targets a document of tenant ${JSON.stringify(doc['tenant'])}`);
  }
}

export const tenantOf = (event: AnyEnvelope): string => {
  const tenant = event.metadata.tenant;
  if (typeof tenant !== 'string' || tenant === '') throw new Error(`event ${event.eventId} has no tenant in its metadata`);
  return tenant;
};

/**
 * An instant as PostgreSQL gives it back from a timestamptz column (`to_char(... 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`):
 * UTC with milliseconds. For the JSON views written with a row, so that they read exactly like its columns
 * whatever form the event store handed over.
 */
export const isoMillis = (instant: string): string => new Date(instant).toISOString();
