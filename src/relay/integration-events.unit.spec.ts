import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { schemaRegistry } from '../shared/schemas/schema-registry';
import { findSchemasDir } from '../shared/schemas/schemas-dir';
import type { StoredEvent } from '../write-model/event-store/event-store.port';
import { NOT_PUBLISHED, toIntegrationEvent, TRANSLATIONS, UntranslatableEventError } from './integration-events';

const registry = schemaRegistry();
const VENTURE = '3f1c2b9e-8a4d-4c6e-9f1a-2b3c4d5e6f70';
const REQUEST = 'a7e5d3c1-b9f8-4e6d-8c2b-1a0f9e8d7c6b';
const INVESTOR = '0b8e4f2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b';

type Data = Record<string, unknown>;

/** One valid domain event (newest schema version) per published type. */
const EXAMPLES: Readonly<Record<string, Data>> = {
  VentureCreated: { ventureId: VENTURE, name: 'Solar Sisters', sector: 'Energy', country: 'KE', stage: 'SEED', description: null },
  VentureProfileUpdated: { ventureId: VENTURE, changes: { name: 'Solar Sisters Ltd', description: 'Off-grid solar' } },
  VentureStageChanged: { ventureId: VENTURE, from: 'SEED', to: 'SERIES_A' },
  GEDSIMetricUpdated: { ventureId: VENTURE, metricId: 'women_ownership_pct', period: '2024-Q1', oldValue: 40, newValue: 51, unit: 'percent' },
  GEDSIMetricVerified: { ventureId: VENTURE, metricId: 'women_ownership_pct', period: '2024', value: 51, verifiedBy: 'auditor-7' },
  CapitalRequested: { capitalRequestId: REQUEST, ventureId: VENTURE, amount: '250000.00', currency: 'USD', instrument: 'EQUITY', purpose: 'Expand' },
  InvestmentCommitted: { capitalRequestId: REQUEST, investorId: INVESTOR, amount: '1000.50', currency: 'USD', totalCommitted: '1000.50' },
  PaymentCaptured: { capitalRequestId: REQUEST, paymentId: 'pi_123', amount: '500', currency: 'JPY', totalCaptured: '500', commitment: 1 },
  DueDiligenceApproved: { capitalRequestId: REQUEST, approvedBy: 'analyst-1', note: '' },
  DueDiligenceRejected: { capitalRequestId: REQUEST, rejectedBy: 'analyst-1', reason: 'Unclear ownership' },
  CapitalProposed: { capitalRequestId: REQUEST, round: 1, investorIds: [INVESTOR], deadline: '2026-05-01T10:00:00.000Z' },
  CommitmentReleased: {
    capitalRequestId: REQUEST, commitment: 1, investorId: INVESTOR, amount: '100.00', currency: 'USD', reason: 'EXPIRED', totalCommitted: '0.00',
  },
  FundsDisbursed: { capitalRequestId: REQUEST, payoutId: 'po_1', amount: '100.00', currency: 'USD', totalDisbursed: '100.00' },
  PaymentRefunded: { capitalRequestId: REQUEST, paymentId: 'pi_1', refundId: 're_1', amount: '100.00', currency: 'USD', totalRefunded: '100.00' },
  CapitalRequestExpired: { capitalRequestId: REQUEST, reason: 'COMMITMENT_WINDOW', deadline: '2026-05-01T10:00:00.000Z' },
  CapitalRequestCancelled: { capitalRequestId: REQUEST, cancelledBy: 'founder-1', reason: 'Raised elsewhere' },
  InvestorRegistered: {
    investorId: INVESTOR, name: 'Impact Fund', sectors: ['Energy'], countries: [], instruments: ['EQUITY', 'DEBT'],
    currency: 'USD', minTicket: '1000.00', maxTicket: '50000.00',
  },
};

const stored = (type: string, data: Data, schemaVersion = registry.currentVersion(type)): StoredEvent => ({
  eventId: '9d0c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a',
  type,
  schemaVersion,
  streamId: `stream-${VENTURE}`,
  revision: 4,
  position: '1042',
  occurredAt: '2026-03-31T12:00:00.000Z',
  data,
  metadata: { correlationId: 'corr-1', causationId: 'cause-1', actor: 'user-1', tenant: 'acme', commandId: 'cmd-1' },
});

describe('integration event gateway', () => {
  it('decides for every domain event type of schemas/events: translated or internal, never both', () => {
    const published = Object.keys(TRANSLATIONS);
    const internal = Object.keys(NOT_PUBLISHED);
    expect(published.filter((type) => internal.includes(type))).toEqual([]);
    expect([...published, ...internal].sort()).toEqual([...registry.eventTypes()].sort());
  });

  it('keeps the name reservation events inside the service', () => {
    expect(Object.keys(NOT_PUBLISHED)).toEqual(expect.arrayContaining(['VentureNameReserved', 'VentureNameReleased']));
    for (const type of ['VentureNameReserved', 'VentureNameReleased']) {
      const data = { tenant: 'acme', name: 'Solar Sisters', normalizedName: 'solar sisters', ventureId: VENTURE };
      expect(toIntegrationEvent(stored(type, data))).toBeUndefined();
    }
  });

  it('has a schema for every integration event type and version it emits, and no schema it never emits', () => {
    const emitted = new Set(Object.values(TRANSLATIONS).map((t) => `${t.type}.v${t.version}`));
    for (const key of emitted) {
      const [, type, version] = /^(.*)\.v(\d+)$/.exec(key) ?? [];
      expect(registry.hasIntegrationEvent(type ?? '', Number(version))).toBe(true);
    }
    const files = readdirSync(join(findSchemasDir(), 'integration-events')).map((f) => f.replace('.schema.json', ''));
    expect(files.sort()).toEqual([...emitted].sort());
  });

  it('names integration events <context>.<Name> with the context of their topic', () => {
    for (const translation of Object.values(TRANSLATIONS)) {
      expect(translation.type.startsWith(`${translation.context}.`)).toBe(true);
    }
  });

  it('has a valid example of every published domain event (this test covers them all)', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(Object.keys(TRANSLATIONS).sort());
    for (const [type, data] of Object.entries(EXAMPLES)) {
      expect(() => registry.validateEvent(type, registry.currentVersion(type), data)).not.toThrow();
    }
  });

  it.each(Object.entries(EXAMPLES))('translates %s into an integration event that validates against its schema', (type, data) => {
    const event = toIntegrationEvent(registry.upcast(stored(type, data)));
    if (event === undefined) throw new Error(`${type} was not published`);
    expect(() => registry.validateIntegrationEvent(event.type, event.schemaVersion, event.data)).not.toThrow();
  });

  it('carries the envelope: event id, key = stream id, revision, tenant, correlation and causation', () => {
    const event = toIntegrationEvent(stored('VentureStageChanged', { ventureId: VENTURE, from: 'SEED', to: 'GROWTH' }));
    expect(event).toEqual({
      context: 'ventures',
      eventId: '9d0c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a',
      type: 'ventures.VentureStageChanged',
      schemaVersion: 1,
      key: `stream-${VENTURE}`,
      revision: 4,
      occurredAt: '2026-03-31T12:00:00.000Z',
      tenant: 'acme',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      data: { ventureId: VENTURE, previousStage: 'SEED', stage: 'GROWTH' },
    });
  });

  it('publishes a public shape: money as amount + currency, no actors, notes or internal numbering', () => {
    const captured = toIntegrationEvent(stored('PaymentCaptured', EXAMPLES['PaymentCaptured'] ?? {}));
    expect(captured?.data).toEqual({
      capitalRequestId: REQUEST,
      paymentId: 'pi_123',
      received: { amount: '500', currency: 'JPY' },
      totalReceived: { amount: '500', currency: 'JPY' },
    });
    const approved = toIntegrationEvent(stored('DueDiligenceApproved', EXAMPLES['DueDiligenceApproved'] ?? {}));
    expect(approved?.data).toEqual({ capitalRequestId: REQUEST, outcome: 'APPROVED' });
    const cancelled = toIntegrationEvent(stored('CapitalRequestCancelled', EXAMPLES['CapitalRequestCancelled'] ?? {}));
    expect(cancelled?.data).not.toHaveProperty('cancelledBy');
  });

  it('publishes a stored legacy v1 metric update after its upcast to the current shape', () => {
    const legacy = stored('GEDSIMetricUpdated', { ventureId: VENTURE, metricId: 'women_board_pct', period: '2021-Q1', value: 40 }, 1);
    expect(toIntegrationEvent(registry.upcast(legacy))?.data).toEqual({
      ventureId: VENTURE, metricId: 'women_board_pct', period: '2021-Q1', value: 40, previousValue: null, unit: 'percent',
    });
  });

  it('refuses a domain event type it has no decision for, rather than publishing or dropping it', () => {
    expect(() => toIntegrationEvent({ ...stored('VentureCreated', {}, 1), type: 'VentureDeleted' })).toThrow(UntranslatableEventError);
  });
});
