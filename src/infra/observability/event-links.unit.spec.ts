import { linksToWriters } from './event-links';
import { recordSpans, type RecordedSpans } from './testing/recorded-spans';

const traceparent = (i: number): string => `00-${i.toString(16).padStart(32, '0')}-${(i + 1).toString(16).padStart(16, '0')}-01`;
const event = (i: number, parent: unknown) => ({
  eventId: `event-${i}`,
  type: 'VentureCreated',
  metadata: { correlationId: `corr-${i}`, causationId: `cause-${i}`, ...(parent !== undefined && { traceparent: parent }) },
});

let spans: RecordedSpans;
beforeAll(() => {
  spans = recordSpans();
});
afterAll(() => spans.stop());

describe('links from a handler span to the spans that wrote its events', () => {
  it('links each distinct writer once, naming the first event it wrote, and skips events without a valid traceparent', () => {
    const links = linksToWriters([event(1, traceparent(1)), event(2, traceparent(1)), event(3, undefined), event(4, 'not-a-traceparent'), event(5, traceparent(5))]);
    expect(links.map((l) => [l.context.traceId, l.context.spanId, l.context.isRemote])).toEqual([
      [traceparent(1).slice(3, 35), traceparent(1).slice(36, 52), true],
      [traceparent(5).slice(3, 35), traceparent(5).slice(36, 52), true],
    ]);
    expect(links[0]?.attributes).toEqual({ 'event.id': 'event-1', 'event.type': 'VentureCreated', 'correlation.id': 'corr-1', 'causation.id': 'cause-1' });
  });

  it('keeps at most the bound', () => {
    const events = Array.from({ length: 100 }, (_, i) => event(i + 1, traceparent(i + 1)));
    expect(linksToWriters(events)).toHaveLength(64);
    expect(linksToWriters(events, 3).map((l) => l.attributes?.['event.id'])).toEqual(['event-1', 'event-2', 'event-3']);
  });
});
