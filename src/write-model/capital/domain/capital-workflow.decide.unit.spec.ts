import type { CommandContext } from '../../../shared/decider';
import { DeciderSpecification } from '../../testing/decider-spec';
import type { CapitalCommand } from './capital.commands';
import { capitalDecider } from './capital.decider';
import type { CapitalEvent } from './capital.events';
import { requiredMetricIds } from './capital-workflow.decide';

const now = '2026-05-01T10:00:00.000Z';
const context: CommandContext = { now, actor: 'analyst-1', tenant: 'tenant-a' };
const capitalRequestId = '6a1d6f8e-2f0b-4c35-8f0e-3b7f2d9c1a40';
const ventureId = '0b8f2c1e-5d0c-4d6a-9a57-0e1f6a3c2b11';
const alice = 'c3e9a3a2-1b7d-4d5f-9a0e-7c2b1d4e5f60';
const bob = 'd4f0b4b3-2c8e-4e6a-8b1f-8d3c2e5f6a71';
const D1 = '2026-05-15T10:00:00.000Z';
const D2 = '2026-06-01T10:00:00.000Z';
const given = DeciderSpecification.for(capitalDecider).given;
const id = { capitalRequestId };

const cmd = <T extends CapitalCommand['type']>(type: T, data: Record<string, unknown>, ctx: Partial<CommandContext> = {}): CapitalCommand =>
  ({ type, data: { ...id, ...data }, context: { ...context, ...ctx } }) as CapitalCommand;
const ev = (type: CapitalEvent['type'], data: Record<string, unknown> = {}): CapitalEvent => ({ type, data: { ...id, ...data } }) as CapitalEvent;

const requested = ev('CapitalRequested', { ventureId, amount: '1000.00', currency: 'USD', instrument: 'GRANT', purpose: 'Solar kits' });
const GRANT_METRICS = ['employees_with_disabilities_pct', 'safeguarding_policy'];
const ready = ev('CapitalReadinessConfirmed', { requiredMetricIds: GRANT_METRICS });
const ddStarted = ev('DueDiligenceStarted', { deadline: D1 });
const approved = ev('DueDiligenceApproved', { approvedBy: 'analyst-1', note: '' });
const proposed = (round = 1, deadline = D2, investorIds = [alice, bob]) => ev('CapitalProposed', { round, investorIds, deadline });
const committed = (investorId: string, amount: string, totalCommitted: string) => ev('InvestmentCommitted', { investorId, amount, currency: 'USD', totalCommitted });
const released = (commitment: number, investorId: string, amount: string, reason: string, totalCommitted: string) =>
  ev('CommitmentReleased', { commitment, investorId, amount, currency: 'USD', reason, totalCommitted });
const captureRequested = (commitment: number, investorId: string, amount: string, attempt = 1) =>
  ev('PaymentCaptureRequested', { commitment, investorId, amount, currency: 'USD', attempt, idempotencyKey: `cap-${capitalRequestId}-${commitment}-${attempt}` });
const captureFailed = (commitment: number, attempt = 1) => ev('PaymentCaptureFailed', { commitment, attempt, reason: 'declined' });
const captured = (paymentId: string, commitment: number | null, amount: string, totalCaptured: string) =>
  ev('PaymentCaptured', { paymentId, amount, currency: 'USD', totalCaptured, commitment });
const disbursementRequested = (attempt = 1) =>
  ev('DisbursementRequested', { ventureId, amount: '1000.00', currency: 'USD', attempt, idempotencyKey: `payout-${capitalRequestId}-${attempt}` });

const inDueDiligence = [requested, ready, ddStarted];
const open = [...inDueDiligence, approved, proposed()];
const fullyCommitted = [...open, committed(alice, '600.00', '600.00'), committed(bob, '400.00', '1000.00')];
const capturing = [...fullyCommitted, captureRequested(1, alice, '600.00'), captureRequested(2, bob, '400.00')];
const fullyCaptured = [...capturing, captured('pay-1', 1, '600.00', '600.00'), captured('pay-2', 2, '400.00', '1000.00')];
const statusAfter = (events: CapitalEvent[]): string => events.reduce(capitalDecider.evolve, capitalDecider.initialState()).status;

describe('CheckCapitalReadiness', () => {
  const check = (verifiedMetricIds: string[]) => cmd('CheckCapitalReadiness', { deadline: D1, verifiedMetricIds });

  it('needs the catalog metrics whose requiredFor names the instrument', () => {
    expect(requiredMetricIds('GRANT')).toEqual(GRANT_METRICS);
  });

  it('confirms readiness when every required metric has a verified value', () => {
    given([requested]).when(check([...GRANT_METRICS, 'women_board_pct'])).then([ready]);
  });

  it('awaits the missing metrics until the deadline', () => {
    given([requested]).when(check(['safeguarding_policy'])).then([ev('CapitalReadinessAwaited', { missingMetricIds: ['employees_with_disabilities_pct'], deadline: D1 })]);
  });

  it('keeps the first deadline when fewer metrics are missing on a later check', () => {
    given([requested, ev('CapitalReadinessAwaited', { missingMetricIds: GRANT_METRICS, deadline: D1 })])
      .when(cmd('CheckCapitalReadiness', { deadline: D2, verifiedMetricIds: ['safeguarding_policy'] }))
      .then([ev('CapitalReadinessAwaited', { missingMetricIds: ['employees_with_disabilities_pct'], deadline: D1 })]);
  });

  it('emits nothing when the same metrics are still missing', () => {
    given([requested, ev('CapitalReadinessAwaited', { missingMetricIds: GRANT_METRICS, deadline: D1 })]).when(check([])).thenNothing();
  });

  it('confirms a waiting request once the metrics are verified, and emits nothing afterwards', () => {
    given([requested, ev('CapitalReadinessAwaited', { missingMetricIds: GRANT_METRICS, deadline: D1 })]).when(check(GRANT_METRICS)).then([ready]);
    given([requested, ready]).when(check(GRANT_METRICS)).thenNothing();
  });

  it('refuses a request that does not exist', () => {
    given([]).when(check([])).thenThrows('NOT_FOUND');
  });
});

describe('due diligence', () => {
  it('starts once readiness is confirmed, and only once', () => {
    given([requested, ready]).when(cmd('StartDueDiligence', { deadline: D1 })).then([ddStarted]);
    given(inDueDiligence).when(cmd('StartDueDiligence', { deadline: D2 })).thenNothing();
  });

  it('refuses to start before readiness is confirmed', () => {
    given([requested]).when(cmd('StartDueDiligence', { deadline: D1 })).thenThrows('CONFLICT', undefined, /not confirmed/);
  });

  it('is approved by the analyst who sends the command', () => {
    given(inDueDiligence)
      .when(cmd('ApproveDueDiligence', { note: '  books checked ' }, { actor: 'analyst-7' }))
      .then([ev('DueDiligenceApproved', { approvedBy: 'analyst-7', note: 'books checked' })]);
  });

  it('refuses a decision before due diligence started or after it was decided', () => {
    given([requested, ready]).when(cmd('ApproveDueDiligence', {})).thenThrows('CONFLICT', undefined, /has not started/);
    given([...inDueDiligence, approved]).when(cmd('RejectDueDiligence', { reason: 'late' })).thenThrows('CONFLICT', undefined, /already decided/);
  });

  it('is rejected with a reason, releasing commitments made before the workflow started', () => {
    given([requested, committed(alice, '100.00', '100.00'), ready, ddStarted])
      .when(cmd('RejectDueDiligence', { reason: ' no audited accounts ' }))
      .then([ev('DueDiligenceRejected', { rejectedBy: 'analyst-1', reason: 'no audited accounts' }), released(1, alice, '100.00', 'REJECTED', '0.00')]);
  });

  it('refuses a blank rejection reason', () => {
    given(inDueDiligence).when(cmd('RejectDueDiligence', { reason: '  ' })).thenThrows('BAD_USER_INPUT', 'reason');
  });
});

describe('ProposeCapital', () => {
  const propose = (round: number, deadline = D2) => cmd('ProposeCapital', { round, investorIds: [alice, bob, alice], deadline });

  it('proposes round 1 to the matched investors after approval', () => {
    given([...inDueDiligence, approved]).when(propose(1)).then([proposed()]);
  });

  it('emits nothing for a round that is not the next one, or before approval', () => {
    given([...inDueDiligence, approved]).when(propose(2)).thenNothing();
    given(open).when(propose(1)).thenNothing();
    given(inDueDiligence).when(propose(1)).thenNothing();
  });

  it('proposes again after a released commitment leaves the request uncovered, without the investor whose capture failed', () => {
    given([...fullyCommitted, released(2, bob, '400.00', 'CAPTURE_FAILED', '600.00')])
      .when(propose(2, D1))
      .then([proposed(2, D1, [alice])]);
  });
});

describe('CommitInvestment in the workflow', () => {
  const commit = (investorId: string, amount: string, at = now) => cmd('CommitInvestment', { investorId, amount, currency: 'USD' }, { now: at, actor: investorId });

  it('takes commitments from proposed investors', () => {
    given(open).when(commit(alice, '600')).then([committed(alice, '600.00', '600.00')]);
  });

  it('refuses an investor who was not proposed', () => {
    given(open).when(commit('e5a1c5c4-3d9f-4f7b-9c2a-9e4d3f6a7b82', '1')).thenThrows('FORBIDDEN', 'investorId');
  });

  it('refuses commitments after the window closed', () => {
    given(open).when(commit(alice, '1', '2026-06-01T10:00:00.001Z')).thenThrows('CONFLICT', undefined, /window .* closed/);
  });

  it('refuses commitments during due diligence and once expired', () => {
    given(inDueDiligence).when(commit(alice, '1')).thenThrows('CONFLICT', undefined, /DUE_DILIGENCE/);
    given([...open, ev('CapitalRequestExpired', { reason: 'COMMITMENT_WINDOW', deadline: D2 })]).when(commit(alice, '1')).thenThrows('CONFLICT');
  });
});

describe('ExpireCapitalRequest', () => {
  const expire = (reason: string, deadline: string) => cmd('ExpireCapitalRequest', { reason, deadline });

  it('expires an uncovered request at the end of its window, releasing its commitments', () => {
    given([...open, committed(alice, '600.00', '600.00')])
      .when(expire('COMMITMENT_WINDOW', D2))
      .then([ev('CapitalRequestExpired', { reason: 'COMMITMENT_WINDOW', deadline: D2 }), released(1, alice, '600.00', 'EXPIRED', '0.00')]);
  });

  it('emits nothing for a deadline that is no longer the current one', () => {
    given([...open, proposed(2, D1)]).when(expire('COMMITMENT_WINDOW', D2)).thenNothing();
    given(fullyCommitted).when(expire('COMMITMENT_WINDOW', D2)).thenNothing();
    given(open).when(expire('DUE_DILIGENCE_DEADLINE', D1)).thenNothing();
  });

  it('expires a request still waiting for readiness or for due diligence at their deadlines', () => {
    given([requested, ev('CapitalReadinessAwaited', { missingMetricIds: GRANT_METRICS, deadline: D1 })])
      .when(expire('READINESS_DEADLINE', '2026-05-15T12:00:00+02:00'))
      .then([ev('CapitalRequestExpired', { reason: 'READINESS_DEADLINE', deadline: D1 })]);
    given(inDueDiligence).when(expire('DUE_DILIGENCE_DEADLINE', D1)).then([ev('CapitalRequestExpired', { reason: 'DUE_DILIGENCE_DEADLINE', deadline: D1 })]);
  });

  it('keeps commitments whose capture is running', () => {
    given([...capturing, captureFailed(2), released(2, bob, '400.00', 'CAPTURE_FAILED', '600.00'), proposed(2, D1)])
      .when(expire('COMMITMENT_WINDOW', D1))
      .then([ev('CapitalRequestExpired', { reason: 'COMMITMENT_WINDOW', deadline: D1 })]);
  });
});

describe('CancelCapitalRequest', () => {
  it('cancels and releases the open commitments', () => {
    given([...open, committed(alice, '600.00', '600.00')])
      .when(cmd('CancelCapitalRequest', { reason: 'raised elsewhere' }, { actor: 'founder-1' }))
      .then([ev('CapitalRequestCancelled', { cancelledBy: 'founder-1', reason: 'raised elsewhere' }), released(1, alice, '600.00', 'CANCELLED', '0.00')]);
  });

  it('refuses while the funds are being disbursed and once final', () => {
    given([...fullyCaptured, disbursementRequested()]).when(cmd('CancelCapitalRequest', { reason: 'x' })).thenThrows('CONFLICT', undefined, /being disbursed/);
    given([...open, ev('CapitalRequestCancelled', { cancelledBy: 'a', reason: 'b' })]).when(cmd('CancelCapitalRequest', { reason: 'x' })).thenThrows('CONFLICT', undefined, /already CANCELLED/);
  });
});

describe('payment captures', () => {
  const request = (commitment: number, attempt: number) => cmd('RequestPaymentCapture', { commitment, attempt });
  const capture = (paymentId: string, amount: string, commitment?: number) =>
    cmd('CapturePayment', { paymentId, amount, currency: 'USD', ...(commitment !== undefined && { commitment }) });

  it('asks the provider for attempt 1 once the request is fully committed, keyed by request, commitment and attempt', () => {
    given(fullyCommitted).when(request(1, 1)).then([captureRequested(1, alice, '600.00')]);
  });

  it('emits nothing before the request is fully committed, or for an attempt already asked for', () => {
    given([...open, committed(alice, '600.00', '600.00')]).when(request(1, 1)).thenNothing();
    given(capturing).when(request(1, 1)).thenNothing();
  });

  it('asks for attempt n + 1 only right after attempt n failed', () => {
    given([...capturing, captureFailed(1)]).when(request(1, 2)).then([captureRequested(1, alice, '600.00', 2)]);
    given([...capturing, captureFailed(1)]).when(request(1, 3)).thenNothing();
  });

  it('records the failure of the current attempt only', () => {
    given(capturing).when(cmd('RecordPaymentCaptureFailure', { commitment: 1, attempt: 1, reason: 'declined' })).then([captureFailed(1)]);
    given([...capturing, captureFailed(1)]).when(cmd('RecordPaymentCaptureFailure', { commitment: 1, attempt: 1, reason: 'declined' })).thenNothing();
  });

  it('records the capture of a commitment with the commitment amount', () => {
    given(capturing).when(capture('pay-1', '600', 1)).then([captured('pay-1', 1, '600.00', '600.00')]);
    given(capturing).when(capture('pay-1', '500', 1)).thenThrows('BAD_USER_INPUT', 'amount', /not the amount of commitment 1/);
  });

  it('refuses a second payment for a captured commitment, and ignores the same payment again', () => {
    given(fullyCaptured).when(capture('pay-9', '600', 1)).thenThrows('CONFLICT', undefined, /already captured by payment pay-1/);
    given(fullyCaptured).when(capture('pay-1', '600', 1)).thenNothing();
  });

  it('records a capture that completes after the request expired (the money moved; it is refunded next)', () => {
    given([...capturing, ev('CapitalRequestExpired', { reason: 'COMMITMENT_WINDOW', deadline: D2 })]).when(capture('pay-1', '600', 1)).then([captured('pay-1', 1, '600.00', '600.00')]);
  });

  it('refuses a capture by hand once the provider captures the request', () => {
    given(capturing).when(capture('pay-h', '100')).thenThrows('CONFLICT', undefined, /captured by the payment provider/);
  });

  it('releases a commitment whose captures failed, but not one being captured', () => {
    given([...capturing, captureFailed(2)]).when(cmd('ReleaseCommitment', { commitment: 2, reason: 'CAPTURE_FAILED' })).then([released(2, bob, '400.00', 'CAPTURE_FAILED', '600.00')]);
    given(capturing).when(cmd('ReleaseCommitment', { commitment: 2, reason: 'CAPTURE_FAILED' })).thenNothing();
  });

  it('refuses an unknown commitment', () => {
    given(fullyCommitted).when(request(3, 1)).thenThrows('BAD_USER_INPUT', 'commitment');
  });
});

describe('disbursement and refunds', () => {
  it('asks the provider to pay the captured funds out to the venture, once', () => {
    given(fullyCaptured).when(cmd('RequestDisbursement', {})).then([disbursementRequested()]);
    given([...fullyCaptured, disbursementRequested()]).when(cmd('RequestDisbursement', {})).thenNothing();
  });

  it('refuses a disbursement before the funds are captured', () => {
    given(capturing).when(cmd('RequestDisbursement', {})).thenThrows('CONFLICT', undefined, /only 0.00 USD of 1000.00 USD is captured/);
  });

  it('records the payout once', () => {
    const paid = ev('FundsDisbursed', { payoutId: 'po-1', amount: '1000.00', currency: 'USD', totalDisbursed: '1000.00' });
    given([...fullyCaptured, disbursementRequested()]).when(cmd('RecordDisbursement', { payoutId: 'po-1', amount: '1000', currency: 'USD' })).then([paid]);
    given([...fullyCaptured, disbursementRequested(), paid]).when(cmd('RecordDisbursement', { payoutId: 'po-1', amount: '1000', currency: 'USD' })).thenNothing();
  });

  it('records the failure of the current payout only', () => {
    const key = `payout-${capitalRequestId}-1`;
    given([...fullyCaptured, disbursementRequested()])
      .when(cmd('RecordDisbursementFailure', { idempotencyKey: key, reason: 'account closed' }))
      .then([ev('DisbursementFailed', { attempt: 1, idempotencyKey: key, reason: 'account closed' })]);
    given([...fullyCaptured, disbursementRequested()]).when(cmd('RecordDisbursementFailure', { idempotencyKey: 'payout-other', reason: 'x' })).thenNothing();
  });

  it('records refunds up to the captured amount of the payment', () => {
    const refund = (refundId: string, amount: string) => cmd('RecordRefund', { paymentId: 'pay-1', refundId, amount, currency: 'USD' });
    const done = ev('PaymentRefunded', { paymentId: 'pay-1', refundId: 're-1', amount: '600.00', currency: 'USD', totalRefunded: '600.00' });
    given(fullyCaptured).when(refund('re-1', '600')).then([done]);
    given([...fullyCaptured, done]).when(refund('re-1', '600')).thenNothing();
    given([...fullyCaptured, done]).when(refund('re-2', '0.01')).thenThrows('CONFLICT', undefined, /exceeds what is left/);
  });
});

describe('the contract status through the workflow', () => {
  it.each([
    ['REQUESTED', [requested, ready]],
    ['DUE_DILIGENCE', inDueDiligence],
    ['DUE_DILIGENCE', [...inDueDiligence, approved]],
    ['PROPOSED', [...open, committed(alice, '600.00', '600.00')]],
    ['COMMITTED', capturing],
    ['PROPOSED', [...capturing, captureFailed(2), released(2, bob, '400.00', 'CAPTURE_FAILED', '600.00')]],
    ['CAPTURED', [...fullyCaptured, disbursementRequested()]],
    ['DISBURSED', [...fullyCaptured, disbursementRequested(), ev('FundsDisbursed', { payoutId: 'po', amount: '1000.00', currency: 'USD', totalDisbursed: '1000.00' })]],
    ['REJECTED', [...inDueDiligence, ev('DueDiligenceRejected', { rejectedBy: 'a', reason: 'b' })]],
    ['EXPIRED', [...open, ev('CapitalRequestExpired', { reason: 'COMMITMENT_WINDOW', deadline: D2 })]],
    ['CANCELLED', [...open, ev('CapitalRequestCancelled', { cancelledBy: 'a', reason: 'b' })]],
  ] as const)('is %s after %#', (status, events) => {
    expect(statusAfter([...events])).toBe(status);
  });
});
