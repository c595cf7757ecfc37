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

/** A valid example of every command with all its fields, and the fields it cannot do without. */
const VALID: readonly (readonly [string, Data, readonly string[]])[] = [
  [
    'CreateVenture',
    { commandId: 'cmd-1', ventureId: VENTURE, name: 'Solar Sisters', sector: 'Energy', country: 'KE', stage: 'IDEA', description: 'Solar' },
    ['ventureId', 'name', 'sector', 'country', 'stage'],
  ],
  [
    'UpdateVentureProfile',
    { commandId: OTHER, ventureId: VENTURE, name: 'N', sector: 'S', country: 'UG', stage: 'GROWTH', description: null, expectedRevision: 3 },
    ['ventureId'],
  ],
  [
    'RecordGEDSIMetric',
    { ventureId: VENTURE, metricId: 'women_board_pct', value: 33.3, period: '2024-H1', expectedRevision: 0 },
    ['ventureId', 'metricId', 'value', 'period'],
  ],
  ['VerifyGEDSIMetric', { ventureId: VENTURE, metricId: 'women_board_pct', period: '2024-H1' }, ['ventureId', 'metricId', 'period']],
  [
    'RequestCapital',
    { capitalRequestId: REQUEST, ventureId: VENTURE, amount: '250000.00', currency: 'USD', instrument: 'CONVERTIBLE', purpose: 'Growth' },
    ['capitalRequestId', 'ventureId', 'amount', 'currency', 'instrument', 'purpose'],
  ],
  ['CommitInvestment', { capitalRequestId: REQUEST, investorId: OTHER, amount: '100.00', currency: 'USD' }, ['capitalRequestId', 'investorId', 'amount', 'currency']],
  [
    'CapturePayment',
    { capitalRequestId: REQUEST, paymentId: OTHER, amount: '100.00', currency: 'USD', commitment: 1 },
    ['capitalRequestId', 'paymentId', 'amount', 'currency'],
  ],
  ['CheckCapitalReadiness', { capitalRequestId: REQUEST, deadline: DEADLINE, verifiedMetricIds: ['women_board_pct'] }, ['capitalRequestId', 'deadline', 'verifiedMetricIds']],
  ['StartDueDiligence', { capitalRequestId: REQUEST, deadline: DEADLINE }, ['capitalRequestId', 'deadline']],
  ['ApproveDueDiligence', { capitalRequestId: REQUEST, note: 'fine' }, ['capitalRequestId']],
  ['RejectDueDiligence', { capitalRequestId: REQUEST, reason: 'no accounts' }, ['capitalRequestId', 'reason']],
  ['ProposeCapital', { capitalRequestId: REQUEST, round: 1, investorIds: [OTHER], deadline: DEADLINE }, ['capitalRequestId', 'round', 'investorIds', 'deadline']],
  ['ExpireCapitalRequest', { capitalRequestId: REQUEST, reason: 'COMMITMENT_WINDOW', deadline: DEADLINE }, ['capitalRequestId', 'reason', 'deadline']],
  ['CancelCapitalRequest', { capitalRequestId: REQUEST, reason: 'raised elsewhere' }, ['capitalRequestId', 'reason']],
  ['RequestPaymentCapture', { capitalRequestId: REQUEST, commitment: 1, attempt: 1 }, ['capitalRequestId', 'commitment', 'attempt']],
  [
    'RecordPaymentCaptureFailure',
    { capitalRequestId: REQUEST, commitment: 1, attempt: 2, reason: 'declined' },
    ['capitalRequestId', 'commitment', 'attempt', 'reason'],
  ],
  ['ReleaseCommitment', { capitalRequestId: REQUEST, commitment: 1, reason: 'CAPTURE_FAILED' }, ['capitalRequestId', 'commitment', 'reason']],
  ['RequestDisbursement', { capitalRequestId: REQUEST }, ['capitalRequestId']],
  ['RecordDisbursement', { capitalRequestId: REQUEST, payoutId: 'po_1', amount: '100.00', currency: 'USD' }, ['capitalRequestId', 'payoutId', 'amount', 'currency']],
  ['RecordDisbursementFailure', { capitalRequestId: REQUEST, idempotencyKey: 'payout-1', reason: 'closed' }, ['capitalRequestId', 'idempotencyKey', 'reason']],
  [
    'RecordRefund',
    { capitalRequestId: REQUEST, paymentId: 'pay_1', refundId: 're_1', amount: '100.00', currency: 'USD' },
    ['capitalRequestId', 'paymentId', 'refundId', 'amount', 'currency'],
  ],
  [
    'RegisterInvestor',
    { investorId: OTHER, name: 'Acacia', sectors: ['Energy'], countries: [], instruments: ['GRANT'], currency: 'USD', minTicket: '1', maxTicket: '2' },
    ['investorId', 'name', 'sectors', 'countries', 'instruments', 'currency', 'minTicket', 'maxTicket'],
  ],
  [
    'OpenGEDSIVerification',
    { ventureId: VENTURE, metricId: 'women_board_pct', period: '2024-H1', value: 40, reason: 'FIRST_REQUIRED_VALUE', deadline: DEADLINE },
    ['ventureId', 'metricId', 'period', 'value', 'reason', 'deadline'],
  ],
  [
    'MarkGEDSIVerificationOverdue',
    { ventureId: VENTURE, metricId: 'women_board_pct', period: '2024-H1', deadline: DEADLINE, verifiedValue: null },
    ['ventureId', 'metricId', 'period', 'deadline', 'verifiedValue'],
  ],
  ['RemindGEDSIReporting', { ventureId: VENTURE, period: '2024-Q1', dueBy: DEADLINE, reportedMetricIds: [] }, ['ventureId', 'period', 'dueBy', 'reportedMetricIds']],
  [
    'MarkGEDSIReportingOverdue',
    { ventureId: VENTURE, period: '2024-Q1', dueBy: DEADLINE, reportedMetricIds: ['women_board_pct'] },
    ['ventureId', 'period', 'dueBy', 'reportedMetricIds'],
  ],
];

function refusal(type: string, data: unknown): SchemaValidationError {
  try {
    registry.validateCommand(type, data);
  } catch (error: unknown) {
    if (error instanceof SchemaValidationError) return error;
    throw error;
  }
  throw new Error(`${type} accepted ${JSON.stringify(data).slice(0, 200)}`);
}
const paths = (error: SchemaValidationError): string[] => [...new Set(error.issues.map((issue) => issue.path))];
const example = (type: string): Data => VALID.find(([name]) => name === type)?.[1] ?? {};
const accepts = (type: string, changes: Data): void => expect(() => registry.validateCommand(type, { ...example(type), ...changes })).not.toThrow();
const rejects = (type: string, changes: Data): string[] => paths(refusal(type, { ...example(type), ...changes }));

describe('command schemas', () => {
  it('cover exactly the commands of docs/event-catalog.md', () => {
    const doc = readFileSync(join(findSchemasDir(), '..', 'docs', 'event-catalog.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Commands'));
    const listed = [...section.matchAll(/^- `([A-Za-z]+)`:/gm)].map((m) => m[1]).sort();
    expect([...registry.commandTypes()].sort()).toEqual(listed);
    expect(VALID.map(([type]) => type).sort()).toEqual(listed);
  });

  describe.each(VALID)('%s', (type, valid, required) => {
    it('accepts a valid example with every field', () => {
      expect(() => registry.validateCommand(type, valid)).not.toThrow();
    });

    it('accepts only the required fields', () => {
      expect(() => registry.validateCommand(type, Object.fromEntries(required.map((key) => [key, valid[key]])))).not.toThrow();
    });

    it('rejects each missing required field', () => {
      for (const key of required) {
        const { [key]: _removed, ...rest } = valid;
        expect(paths(refusal(type, rest))).toEqual([`/${key}`]);
      }
    });

    it('rejects an unknown property', () => {
      expect(rejects(type, { role: 'admin' })).toEqual(['/role']);
    });

    it('rejects an oversized or mistyped value in every field', () => {
      for (const key of Object.keys(valid)) {
        expect(rejects(type, { [key]: 'x'.repeat(10_001) })).toEqual([`/${key}`]);
        expect(rejects(type, { [key]: true })).toEqual([`/${key}`]);
      }
    });

    it('rejects a malformed uuid in every id field we issue', () => {
      const ours = (k: string): boolean => k.endsWith('Id') && !['commandId', 'metricId', 'paymentId', 'payoutId', 'refundId'].includes(k);
      for (const key of Object.keys(valid).filter(ours)) {
        expect(rejects(type, { [key]: 'venture-1' })).toEqual([`/${key}`]);
      }
    });
  });

  it('bounds the venture name to 1-200 characters with at least one non-blank', () => {
    accepts('CreateVenture', { name: 'n'.repeat(200) });
    expect(rejects('CreateVenture', { name: 'n'.repeat(201) })).toEqual(['/name']);
    expect(rejects('CreateVenture', { name: '' })).toEqual(['/name']);
    expect(rejects('CreateVenture', { name: '   ' })).toEqual(['/name']);
    expect(refusal('CreateVenture', { ...example('CreateVenture'), name: 'n'.repeat(201) }).message).toBe(
      'CreateVenture: /name must NOT have more than 200 characters',
    );
  });

  it('bounds sector to 1-100, description to 5000 and purpose to 1-2000 characters', () => {
    accepts('CreateVenture', { sector: 's'.repeat(100), description: 'd'.repeat(5000) });
    expect(rejects('CreateVenture', { sector: 's'.repeat(101), description: 'd'.repeat(5001) })).toEqual(['/sector', '/description']);
    accepts('CreateVenture', { description: '' });
    accepts('RequestCapital', { purpose: 'p'.repeat(2000) });
    expect(rejects('RequestCapital', { purpose: 'p'.repeat(2001) })).toEqual(['/purpose']);
    expect(rejects('RequestCapital', { purpose: '' })).toEqual(['/purpose']);
  });

  it('bounds metricId to 100 characters and commandId to 1-100', () => {
    accepts('RecordGEDSIMetric', { metricId: `m${'x'.repeat(99)}`, commandId: 'c'.repeat(100) });
    expect(rejects('RecordGEDSIMetric', { metricId: `m${'x'.repeat(100)}` })).toEqual(['/metricId']);
    expect(rejects('RecordGEDSIMetric', { commandId: 'c'.repeat(101) })).toEqual(['/commandId']);
    expect(rejects('RecordGEDSIMetric', { commandId: '' })).toEqual(['/commandId']);
  });

  it('requires amounts greater than zero with at most four decimals', () => {
    for (const amount of ['0.0001', '1', '999999999999999999.9999']) accepts('CommitInvestment', { amount });
    for (const amount of ['0', '0.00', '-5', '1.00001', '1e6', '1 000', 100]) {
      expect(rejects('CommitInvestment', { amount })).toEqual(['/amount']);
    }
  });

  it('takes expectedRevision as an integer of at least zero', () => {
    accepts('UpdateVentureProfile', { expectedRevision: 0 });
    for (const expectedRevision of [-1, 1.5, '3', null]) {
      expect(rejects('UpdateVentureProfile', { expectedRevision })).toEqual(['/expectedRevision']);
    }
  });

  it('takes a metric value only as a number', () => {
    accepts('RecordGEDSIMetric', { value: -12.5 });
    expect(rejects('RecordGEDSIMetric', { value: '12' })).toEqual(['/value']);
    expect(rejects('RecordGEDSIMetric', { value: null })).toEqual(['/value']);
  });

  it('refuses an unknown command type, naming it', () => {
    const error = refusal('DeleteEverything', {});
    expect(error.message).toBe('DeleteEverything: unknown command type');
    expect(error.kind).toBe('command');
  });

  it('refuses data that is not an object', () => {
    for (const data of [null, 'CreateVenture', [], 7]) {
      expect(refusal('VerifyGEDSIMetric', data).issues).toContainEqual({ path: '', message: 'must be object' });
    }
  });
});
