import type { Link } from '@opentelemetry/api';
import { linkFromTraceparent } from './tracing';

/** The part of a stored event its handlers' spans read. */
export interface TracedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly metadata: { readonly correlationId: string; readonly causationId: string; readonly [key: string]: unknown };
}

/** Links per span at most: a catch-up batch holds thousands of events, mostly from distinct writers. */
export const MAX_EVENT_LINKS = 64;

/**
 * Span links from a handler's span to the spans that wrote `events` (their metadata `traceparent`): one per
 * distinct writer span, the first `max` of them in event order, each naming the first event it wrote here.
 */
export function linksToWriters(events: readonly TracedEvent[], max = MAX_EVENT_LINKS): Link[] {
  const links: Link[] = [];
  const seen = new Set<string>();
  for (const event of events) {
    if (links.length >= max) break;
    const traceparent = event.metadata['traceparent'];
    if (typeof traceparent !== 'string' || seen.has(traceparent)) continue;
    const link = linkFromTraceparent(traceparent, eventAttributes(event));
    if (link === undefined) continue;
    seen.add(traceparent);
    links.push(link);
  }
  return links;
}

/** What a span about one event says of it: its id, type and the correlation and causation ids it carries. */
export function eventAttributes(event: TracedEvent): Record<string, string> {
  return {
    'event.id': event.eventId,
    'event.type': event.type,
    'correlation.id': event.metadata.correlationId,
    'causation.id': event.metadata.causationId,
  };
}
