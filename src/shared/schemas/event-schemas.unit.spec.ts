import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaRegistry } from './schema-registry';
import { SchemaValidationError } from './schema-validation-error';
import { findSchemasDir } from './schemas-dir';

const registry = new SchemaRegistry();
const VENTURE = '3f1c2b9e-8a4d-4c6e-9f1a-2b3c4d5e6f70';
const REQUEST = 'a7e5d3c1-b9f8-4e6d-8c2b-1a0f9e8d7c6b';
const OTHER = '0b8e4f2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b';
const DEADLINE = '2026-06-01T00:00:00.000Z';

type Data = Record<string, unknown>;

/** One valid example per event type and schema version. */
const VALID: readonly (readonly [string, number, Data])[] = [
  ['VentureCreated', 1, { ventureId: VENTURE, name: 'Solar Sisters', sector: 'Energy', country: 'KE', stage: 'SEED', description: null }],
  ['VentureProfileUpdated', 1, { ventureId: VENTURE, changes: { name: 'Solar Sisters Ltd', description: 'Off-grid solar' } }],
  ['VentureStageChanged', 1, { ventureId: VENTURE, from: 'SEED', to: 'SERIES_A' }],
  ['VentureNameReserved', 1, { tenant: 'acme', name: 'Solar Sisters', normalizedName: 'solar sisters', ventureId: VENTURE }],
  ['VentureNameReleased', 1, { tenant: 'acme', name: 'Solar Sisters', normalizedName: 'solar sisters', ventureId: VENTURE }],
  ['GEDSIMetricUpdated', 1, { ventureId: VENTURE, metricId: 'women_ownership_pct', period: '2024-Q1', value: 51 }],
  [
    'GEDSIMetricUpdated', 2,
    { ventureId: VENTURE, metricId: 'women_ownership_pct', period: '2024-Q1', oldValue: null, newValue: 51, unit: 'percent' },
  ],
  ['GEDSIMetricVerified', 1, { ventureId: VENTURE, metricId: 'women_ownership_pct', period: '2024', value: 51, verifiedBy: 'auditor-7' }],
  [
    'CapitalRequested', 1,
    { capitalRequestId: REQUEST, ventureId: VENTURE, amount: '250000.00', currency: 'USD', instrument: 'EQUITY', purpose: 'Expand to Uganda' },
  ],
  ['InvestmentCommitted', 1, { capitalRequestId: REQUEST, investorId: OTHER, amount: '1000.50', currency: 'USD', totalCommitted: '1000.50' }],
  ['PaymentCaptured', 1, { capitalRequestId: REQUEST, paymentId: OTHER, amount: '500', currency: 'JPY', totalCaptured: '500' }],
  ['PaymentCaptured', 2, { capitalRequestId: REQUEST, paymentId: OTHER, amount: '500', currency: 'JPY', totalCaptured: '500', commitment: 1 }],
  ['CapitalReadinessConfirmed', 1, { capitalRequestId: REQUEST, requiredMetricIds: ['safeguarding_policy'] }],
  ['CapitalReadinessAwaited', 1, { capitalRequestId: REQUEST, missingMetricIds: ['women_board_pct'], deadline: DEADLINE }],
  ['DueDiligenceStarted', 1, { capitalRequestId: REQUEST, deadline: DEADLINE }],
  ['DueDiligenceApproved', 1, { capitalRequestId: REQUEST, approvedBy: 'analyst-1', note: 'books checked' }],
  ['DueDiligenceRejected', 1, { capitalRequestId: REQUEST, rejectedBy: 'analyst-1', reason: 'no audited accounts' }],
  ['CapitalProposed', 1, { capitalRequestId: REQUEST, round: 1, investorIds: [OTHER], deadline: DEADLINE }],
  ['CapitalRequestExpired', 1, { capitalRequestId: REQUEST, reason: 'COMMITMENT_WINDOW', deadline: DEADLINE }],
  [
    'CommitmentReleased', 1,
    { capitalRequestId: REQUEST, commitment: 2, investorId: OTHER, amount: '100.00', currency: 'USD', reason: 'CAPTURE_FAILED', totalCommitted: '0.00' },
  ],
  [
    'PaymentCaptureRequested', 1,
    { capitalRequestId: REQUEST, commitment: 1, investorId: OTHER, amount: '100.00', currency: 'USD', attempt: 1, idempotencyKey: `cap-${REQUEST}-1-1` },
  ],
  ['PaymentCaptureFailed', 1, { capitalRequestId: REQUEST, commitment: 1, attempt: 1, reason: 'card declined' }],
  [
    'DisbursementRequested', 1,
    { capitalRequestId: REQUEST, ventureId: VENTURE, amount: '100.00', currency: 'USD', attempt: 1, idempotencyKey: `payout-${REQUEST}-1` },
  ],
  ['FundsDisbursed', 1, { capitalRequestId: REQUEST, payoutId: 'po_123', amount: '100.00', currency: 'USD', totalDisbursed: '100.00' }],
  ['DisbursementFailed', 1, { capitalRequestId: REQUEST, attempt: 1, idempotencyKey: `payout-${REQUEST}-1`, reason: 'account closed' }],
  ['PaymentRefunded', 1, { capitalRequestId: REQUEST, paymentId: 'pay_1', refundId: 're_1', amount: '100.00', currency: 'USD', totalRefunded: '100.00' }],
  ['CapitalRequestCancelled', 1, { capitalRequestId: REQUEST, cancelledBy: 'founder-1', reason: 'raised elsewhere' }],
  [
    'InvestorRegistered', 1,
    { investorId: OTHER, name: 'Acacia Fund', sectors: ['Energy'], countries: ['KE'], instruments: ['EQUITY'], currency: 'USD', minTicket: '1000.00', maxTicket: '50000.00' },
  ],
  [
    'GEDSIVerificationRequested', 1,
    { ventureId: VENTURE, metricId: 'women_board_pct', period: '2024-Q1', value: 40, reason: 'THRESHOLD_EXCEEDED', deadline: DEADLINE },
  ],
  ['GEDSIVerificationOverdue', 1, { ventureId: VENTURE, metricId: 'women_board_pct', period: '2024-Q1', value: 40, deadline: DEADLINE }],
  ['GEDSIReportingReminderIssued', 1, { ventureId: VENTURE, period: '2024-Q1', dueBy: DEADLINE }],
  ['GEDSIReportingOverdue', 1, { ventureId: VENTURE, period: '2024-Q1', dueBy: DEADLINE }],
];

const UUID_FIELDS = ['ventureId', 'capitalRequestId', 'investorId'];
/** Ids issued by outside parties (the payment provider) are not ours to force into UUIDs. */
const EXTERNAL_ID_FIELDS = ['paymentId', 'payoutId', 'refundId'];
const AMOUNT_FIELDS = ['amount', 'totalCommitted', 'totalCaptured', 'totalDisbursed', 'totalRefunded', 'minTicket', 'maxTicket'];
const with_ = (data: Data, key: string, value: unknown): Data => ({ ...data, [key]: value });

function refusal(type: string, version: number, data: unknown): SchemaValidationError {
  try {
    registry.validateEvent(type, version, data);
  } catch (error: unknown) {
    if (error instanceof SchemaValidationError) return error;
    throw error;
  }
  throw new Error(`${type} v${version} accepted ${JSON.stringify(data).slice(0, 200)}`);
}
const paths = (error: SchemaValidationError): string[] => [...new Set(error.issues.map((issue) => issue.path))];

describe('event schemas', () => {
  it('cover exactly the events and versions of docs/event-catalog.md', () => {
    const doc = readFileSync(join(findSchemasDir(), '..', 'docs', 'event-catalog.md'), 'utf8');
    const listed = [...doc.matchAll(/^\s*- `([A-Za-z]+)` v(\d+)/gm)].map((m) => `${m[1]} v${m[2]}`).sort();
    const stored = registry.eventTypes().flatMap((type) =>
      [1, 2, 3, 4, 5].filter((v) => registry.hasEvent(type, v)).map((v) => `${type} v${v}`),
    );
    expect(stored.sort()).toEqual(listed);
    expect(VALID.map(([type, version]) => `${type} v${version}`).sort()).toEqual(listed);
  });

  describe.each(VALID)('%s v%d', (type, version, valid) => {
    it('accepts a valid example', () => {
      expect(() => registry.validateEvent(type, version, valid)).not.toThrow();
    });

    it('rejects an unknown property', () => {
      expect(paths(refusal(type, version, with_(valid, 'unexpected', 1)))).toEqual(['/unexpected']);
    });

    it.each(Object.keys(valid))('rejects a missing %s', (key) => {
      const { [key]: _removed, ...rest } = valid;
      expect(paths(refusal(type, version, rest))).toEqual([`/${key}`]);
    });

    it('rejects a 10,001-character value in every property (no string is unbounded)', () => {
      for (const key of Object.keys(valid)) {
        expect(paths(refusal(type, version, with_(valid, key, 'x'.repeat(10_001))))).toContain(`/${key}`);
      }
    });

    it('rejects values of the wrong type', () => {
      for (const [key, value] of Object.entries(valid)) {
        const wrongs: unknown[] = [true, typeof value === 'number' ? String(value) : 42];
        for (const wrong of value === null ? [true, {}] : wrongs) {
          expect(paths(refusal(type, version, with_(valid, key, wrong)))).toEqual([`/${key}`]);
        }
      }
    });

    it('rejects malformed uuids', () => {
      for (const key of Object.keys(valid).filter((k) => UUID_FIELDS.includes(k))) {
        for (const bad of ['not-a-uuid', `urn:uuid:${VENTURE}`, VENTURE.slice(1), `${VENTURE} `]) {
          expect(paths(refusal(type, version, with_(valid, key, bad)))).toEqual([`/${key}`]);
        }
      }
    });

    it('accepts provider ids but refuses odd characters and oversized ones', () => {
      for (const key of Object.keys(valid).filter((k) => EXTERNAL_ID_FIELDS.includes(k))) {
        expect(() => registry.validateEvent(type, version, with_(valid, key, 'pi_3MtwBwLkdIwHu7ix28a3tqPa'))).not.toThrow();
        for (const bad of ['', 'pay ment', 'x'.repeat(101), 'a/b', 42]) {
          expect(paths(refusal(type, version, with_(valid, key, bad)))).toEqual([`/${key}`]);
        }
      }
    });

    it('rejects malformed amounts', () => {
      for (const key of Object.keys(valid).filter((k) => AMOUNT_FIELDS.includes(k))) {
        for (const bad of ['1,500.00', '01', '1.23456', '-1', '1e3', ' 1', '1.', '.5', '1234567890123456789', 1500]) {
          expect(paths(refusal(type, version, with_(valid, key, bad)))).toEqual([`/${key}`]);
        }
      }
    });
  });

  it('rejects a zero amount but accepts a zero running total', () => {
    const [, , committed] = VALID.find(([type]) => type === 'InvestmentCommitted') ?? [];
    if (committed === undefined) throw new Error('no InvestmentCommitted example');
    expect(paths(refusal('InvestmentCommitted', 1, with_(committed, 'amount', '0.00')))).toEqual(['/amount']);
    expect(() => registry.validateEvent('InvestmentCommitted', 1, { ...committed, amount: '0.01', totalCommitted: '0' })).not.toThrow();
  });

  it('accepts years, quarters and half years as periods, nothing else', () => {
    const base = { ventureId: VENTURE, metricId: 'women_ownership_pct', period: '2024', value: 1 };
    for (const period of ['2024', '2024-Q1', '2024-Q4', '2024-H1', '2024-H2']) {
      expect(() => registry.validateEvent('GEDSIMetricUpdated', 1, { ...base, period })).not.toThrow();
    }
    for (const period of ['24', '2024-Q5', '2024-q1', '2024-H3', '2024-Q1 ', '2024-01']) {
      expect(paths(refusal('GEDSIMetricUpdated', 1, { ...base, period }))).toEqual(['/period']);
    }
  });

  it('refuses a profile update without changes, with a stage or with an unknown field in changes', () => {
    const empty = refusal('VentureProfileUpdated', 1, { ventureId: VENTURE, changes: {} });
    expect(paths(empty)).toEqual(['/changes']);
    const staged = refusal('VentureProfileUpdated', 1, { ventureId: VENTURE, changes: { stage: 'SEED' } });
    expect(paths(staged)).toEqual(['/changes/stage']);
  });

  it('refuses stages, instruments, currencies and countries outside their lists or formats', () => {
    const created = { ventureId: VENTURE, name: 'A', sector: 'B', country: 'ke', stage: 'LATE', description: 'd' };
    expect(refusal('VentureCreated', 1, created).message).toBe(
      'VentureCreated v1: /country must be an ISO 3166-1 alpha-2 country code such as KE; ' +
        '/stage must be one of IDEA, PRE_SEED, SEED, SERIES_A, GROWTH',
    );
    const requested = { capitalRequestId: REQUEST, ventureId: VENTURE, amount: '1', currency: 'usd', instrument: 'LOAN', purpose: 'p' };
    expect(paths(refusal('CapitalRequested', 1, requested))).toEqual(['/currency', '/instrument']);
  });

  it('names the field and bound in the message of an oversized name', () => {
    const error = refusal('VentureCreated', 1, { ...(VALID[0]?.[2] ?? {}), name: 'n'.repeat(201) });
    expect(error.message).toBe('VentureCreated v1: /name must NOT have more than 200 characters');
    expect(error.kind).toBe('event');
    expect(error.type).toBe('VentureCreated');
  });
});
