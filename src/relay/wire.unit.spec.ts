import type { IntegrationEvent } from './integration-events';
import { HEADER, parseEnvelope, toWireMessage } from './wire';

const EVENT: IntegrationEvent = {
  context: 'ventures',
  eventId: '9d0c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a',
  type: 'ventures.VentureStageChanged',
  schemaVersion: 1,
  key: 'venture-3f1c2b9e-8a4d-4c6e-9f1a-2b3c4d5e6f70',
  revision: 7,
  occurredAt: '2026-03-31T12:00:00.000Z',
  tenant: 'acme',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  data: { ventureId: '3f1c2b9e-8a4d-4c6e-9f1a-2b3c4d5e6f70', previousStage: 'SEED', stage: 'GROWTH' },
};

describe('Kafka wire format', () => {
  it('keys by stream id, carries the data as JSON and the envelope in headers', () => {
    const message = toWireMessage(EVENT);
    expect(message.key).toBe(EVENT.key);
    expect(JSON.parse(message.value)).toEqual(EVENT.data);
    expect(message.headers).toMatchObject({
      eventId: EVENT.eventId, type: 'ventures.VentureStageChanged', schemaVersion: '1', correlationId: 'corr-1', revision: '7', tenant: 'acme',
    });
  });

  it('reads back the envelope it wrote, from strings or Buffers', () => {
    const headers = Object.fromEntries(Object.entries(toWireMessage(EVENT).headers).map(([k, v]) => [k, Buffer.from(v)]));
    expect(parseEnvelope(headers)).toEqual({
      eventId: EVENT.eventId, type: EVENT.type, schemaVersion: 1, correlationId: 'corr-1', causationId: 'cause-1', tenant: 'acme',
      occurredAt: EVENT.occurredAt, revision: 7,
    });
  });

  it.each([
    [HEADER.eventId, undefined, 'header eventId must be a UUID'],
    [HEADER.eventId, 'evt-1', 'header eventId must be a UUID'],
    [HEADER.type, 'VentureCreated', 'header type must be <context>.<Name>'],
    [HEADER.schemaVersion, '0', 'header schemaVersion must be an integer >= 1'],
    [HEADER.schemaVersion, '1.5', 'header schemaVersion must be an integer >= 1'],
    [HEADER.correlationId, undefined, 'header correlationId is required'],
    [HEADER.revision, '-1', 'header revision must be an integer >= 0'],
    [HEADER.type, `ventures.${'X'.repeat(300)}`, 'header type must be <context>.<Name>'],
  ])('refuses header %s = %p: %s', (name, value, problem) => {
    const headers: Record<string, string | undefined> = { ...toWireMessage(EVENT).headers, [name]: value };
    expect(parseEnvelope(headers)).toEqual({ problem });
  });

  it('refuses a message without headers', () => {
    expect(parseEnvelope(undefined)).toEqual({ problem: 'header eventId must be a UUID' });
  });
});
