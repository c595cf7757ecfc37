import type { StoredEvent } from '../write-model/event-store/event-store.port';
import { CAPITAL_INTERNAL, CAPITAL_TRANSLATIONS } from './translations/capital';
import { METRICS_INTERNAL, METRICS_TRANSLATIONS } from './translations/metrics';
import type { Context, Translation } from './translations/translation';
import { VENTURES_INTERNAL, VENTURES_TRANSLATIONS } from './translations/ventures';

export { CONTEXTS, type Context } from './translations/translation';

/**
 * The gateway (after Eventuous): domain events stay inside the service; what leaves it on Kafka is a separately
 * named and versioned integration event with a public shape, made by a pure translation per domain event type
 * (`translations/<context>.ts`). Each integration event type and version has its JSON Schema in
 * `schemas/integration-events/<type>.v<version>.schema.json`.
 */

/** Every published domain event type and its translation: the one list (the unit tests check it covers `schemas/events`). */
export const TRANSLATIONS: Readonly<Record<string, Translation<never>>> = {
  ...VENTURES_TRANSLATIONS,
  ...METRICS_TRANSLATIONS,
  ...CAPITAL_TRANSLATIONS,
};

/** Domain event types that never leave the service, with the reason. */
export const NOT_PUBLISHED: Readonly<Record<string, string>> = { ...VENTURES_INTERNAL, ...METRICS_INTERNAL, ...CAPITAL_INTERNAL };

/** An integration event ready for the wire: the envelope travels in Kafka headers, `data` is the message value. */
export interface IntegrationEvent {
  readonly context: Context;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** The Kafka key: the stream id, so every event of one aggregate lands in one partition, in order. */
  readonly key: string;
  /** 0-based order of the event within its key (the stream revision). */
  readonly revision: number;
  readonly occurredAt: string;
  readonly tenant: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly data: Record<string, unknown>;
}

/** A domain event type the gateway has never heard of: publishing it raw or dropping it would both be wrong. */
export class UntranslatableEventError extends Error {
  constructor(readonly eventType: string) {
    super(`no integration event translation for domain event ${eventType}: add it to a translations/<context>.ts table or its internal list`);
    this.name = 'UntranslatableEventError';
  }
}

/** The integration event of a stored, upcast domain event; `undefined` for an internal one. */
export function toIntegrationEvent(event: StoredEvent): IntegrationEvent | undefined {
  if (Object.hasOwn(NOT_PUBLISHED, event.type)) return undefined;
  const translation = Object.hasOwn(TRANSLATIONS, event.type) ? TRANSLATIONS[event.type] : undefined;
  if (translation === undefined) throw new UntranslatableEventError(event.type);
  return {
    context: translation.context,
    eventId: event.eventId,
    type: translation.type,
    schemaVersion: translation.version,
    key: event.streamId,
    revision: event.revision,
    occurredAt: event.occurredAt,
    tenant: event.metadata.tenant,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    // The data was validated against this type's newest schema (the registry's upcast) before it got here.
    data: (translation.translate as (data: unknown) => Record<string, unknown>)(event.data),
  };
}
