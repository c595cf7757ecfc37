import type { Context, IntegrationEvent } from './integration-events';

/**
 * The Kafka wire format of integration events, shared by the relay (writer) and the consumer helper (reader):
 * key = stream id, value = the integration event's data as UTF-8 JSON, envelope in headers (CloudEvents'
 * "binary mode", with our own header names).
 */
export const HEADER = {
  eventId: 'eventId',
  type: 'type',
  schemaVersion: 'schemaVersion',
  correlationId: 'correlationId',
  causationId: 'causationId',
  tenant: 'tenant',
  occurredAt: 'occurredAt',
  revision: 'revision',
  contentType: 'contentType',
  /** W3C trace context of the relay's publish span (absent when the relay ran without tracing). */
  traceparent: 'traceparent',
} as const;

/** Added to a message copied to `<topic>.dlq`. */
export const DLQ_HEADER = {
  reason: 'reason',
  originalTopic: 'originalTopic',
  originalPartition: 'originalPartition',
  originalOffset: 'originalOffset',
} as const;

export const DEFAULT_TOPIC_PREFIX = 'gedsi';
export const topicOf = (prefix: string, context: Context): string => `${prefix}.${context}`;
export const deadLetterTopicOf = (topic: string): string => `${topic}.dlq`;

export interface WireMessage {
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
}

export function toWireMessage(event: IntegrationEvent, traceparent?: string): WireMessage {
  return {
    key: event.key,
    value: JSON.stringify(event.data),
    headers: {
      [HEADER.eventId]: event.eventId,
      [HEADER.type]: event.type,
      [HEADER.schemaVersion]: String(event.schemaVersion),
      [HEADER.correlationId]: event.correlationId,
      [HEADER.causationId]: event.causationId,
      [HEADER.tenant]: event.tenant,
      [HEADER.occurredAt]: event.occurredAt,
      [HEADER.revision]: String(event.revision),
      [HEADER.contentType]: 'application/json',
      ...(traceparent !== undefined && { [HEADER.traceparent]: traceparent }),
    },
  };
}

/** What a consumer knows about a message before it trusts the value. */
export interface ReceivedEnvelope {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly correlationId: string;
  readonly causationId: string | undefined;
  readonly tenant: string | undefined;
  readonly occurredAt: string | undefined;
  readonly revision: number | undefined;
  /** The W3C `traceparent` the message was sent with; a malformed one is ignored, never poison. */
  readonly traceparent: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPE = /^[a-z][a-z0-9]*\.[A-Z][A-Za-z0-9]{0,99}$/;
const MAX_HEADER = 200;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

type RawHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined;

const header = (headers: RawHeaders, name: string): string | undefined => {
  const raw = headers?.[name];
  const one = Array.isArray(raw) ? raw[0] : raw;
  return one === undefined ? undefined : one.toString();
};

const count = (text: string | undefined): number | undefined =>
  text !== undefined && /^(0|[1-9][0-9]{0,8})$/.test(text) ? Number(text) : undefined;

/** The envelope of a received message, or the reason it cannot be one (the message then goes to the DLQ). */
export function parseEnvelope(headers: RawHeaders): ReceivedEnvelope | { readonly problem: string } {
  const get = (name: string): string | undefined => {
    const value = header(headers, name);
    return value === undefined || value.length > MAX_HEADER ? undefined : value;
  };
  const eventId = get(HEADER.eventId);
  const type = get(HEADER.type);
  const schemaVersion = count(get(HEADER.schemaVersion));
  const correlationId = get(HEADER.correlationId);
  const revisionText = get(HEADER.revision);
  const revision = count(revisionText);
  const traceparent = get(HEADER.traceparent);
  if (eventId === undefined || !UUID.test(eventId)) return { problem: `header ${HEADER.eventId} must be a UUID` };
  if (type === undefined || !TYPE.test(type)) return { problem: `header ${HEADER.type} must be <context>.<Name>` };
  if (schemaVersion === undefined || schemaVersion < 1) return { problem: `header ${HEADER.schemaVersion} must be an integer >= 1` };
  if (correlationId === undefined || correlationId === '') return { problem: `header ${HEADER.correlationId} is required` };
  if (revisionText !== undefined && revision === undefined) return { problem: `header ${HEADER.revision} must be an integer >= 0` };
  return {
    eventId,
    type,
    schemaVersion,
    correlationId,
    causationId: get(HEADER.causationId),
    tenant: get(HEADER.tenant),
    occurredAt: get(HEADER.occurredAt),
    revision,
    traceparent: traceparent !== undefined && TRACEPARENT.test(traceparent) ? traceparent : undefined,
  };
}
