import { schemaRegistry } from '../../shared/schemas/schema-registry';
import { projectInMemory, rowsOf, settle } from '../runtime/fold';
import { envelope } from '../testing/envelopes';
import { auditProjection } from './audit.projection';

const projection = auditProjection(schemaRegistry().eventTypes());

describe('audit projection', () => {
  const events = [
    envelope('VentureCreated', { ventureId: 'v' }, { streamId: 'venture-v', revision: 0, actor: 'alice', tenant: 'tenant-a' }),
    envelope('GEDSIMetricVerified', { ventureId: 'v' }, { streamId: 'gedsi-v', revision: 3, actor: 'verifier', tenant: 'tenant-a' }),
  ];

  it('indexes every event by position with tenant, stream, type, actor and correlation', () => {
    const rows = rowsOf(projectInMemory(projection.views, events), 0);
    expect(rows.map((r) => [r['position'], r['event_id'], r['tenant'], r['stream_id'], r['type'], r['actor'], r['correlation_id']])).toEqual(
      events.map((e) => [e.position, e.eventId, 'tenant-a', e.streamId, e.type, e.metadata.actor, 'c-1']),
    );
  });

  it('writes each event once: a replay changes nothing', () => {
    const once = projectInMemory(projection.views, events);
    expect(rowsOf(projectInMemory(projection.views, events, settle(once, 1)), 0)).toEqual(rowsOf(once, 0));
  });

  it('covers every event type that has a schema (schemas/ is the one list)', () => {
    expect([...projection.canHandle].sort()).toEqual([...schemaRegistry().eventTypes()].sort());
  });

  it('refuses a position that is not a decimal log position', () => {
    const odd = { ...events[0], position: 'C:1/P:1' } as (typeof events)[number];
    expect(() => projectInMemory(projection.views, [odd])).toThrow(/decimal log positions/);
  });
});
