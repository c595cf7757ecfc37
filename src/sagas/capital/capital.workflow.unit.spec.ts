import { logged, SagaSpecification } from '../runtime/testing/saga-spec';
import { capitalWorkflow, type CapitalWorkflowSettings } from './capital.workflow';

const HOUR = 3_600_000;
const settings: CapitalWorkflowSettings = {
  readinessWindowMs: 24 * HOUR,
  dueDiligenceWindowMs: 48 * HOUR,
  commitmentWindowMs: 72 * HOUR,
  captureAttempts: 3,
  captureRetryBaseMs: 60_000,
};
const saga = capitalWorkflow(settings);
const given = SagaSpecification.for(saga).given;

const capitalRequestId = '6a1d6f8e-2f0b-4c35-8f0e-3b7f2d9c1a40';
const ventureId = '0b8f2c1e-5d0c-4d6a-9a57-0e1f6a3c2b11';
const alice = 'c3e9a3a2-1b7d-4d5f-9a0e-7c2b1d4e5f60';
const bob = 'd4f0b4b3-2c8e-4e6a-8b1f-8d3c2e5f6a71';
const T0 = '2026-05-01T10:00:00.000Z';
const T1 = '2026-05-01T11:00:00.000Z';
const id = { capitalRequestId };
const match = { ventureId, instrument: 'GRANT', currency: 'USD', amount: '1000.00' };
const ev = (type: string, data: Record<string, unknown> = {}, at = T0) => logged(type, { ...id, ...data }, at, `capital-${capitalRequestId}`);
const cmd = (type: string, data: Record<string, unknown> = {}) => ({ type, data: { ...id, ...data } });
const plus = (at: string, ms: number) => new Date(new Date(at).getTime() + ms).toISOString();

const requested = ev('CapitalRequested', { ventureId, amount: '1000.00', currency: 'USD', instrument: 'GRANT', purpose: 'Solar' });
const DD = plus(T0, 48 * HOUR);
const WINDOW = plus(T1, 72 * HOUR);
const ready = ev('CapitalReadinessConfirmed', { requiredMetricIds: ['employees_with_disabilities_pct', 'safeguarding_policy'] });
const started = ev('DueDiligenceStarted', { deadline: DD });
const approved = ev('DueDiligenceApproved', { approvedBy: 'analyst', note: '' }, T1);
const proposed = ev('CapitalProposed', { round: 1, investorIds: [alice, bob], deadline: WINDOW }, T1);
const committed = (investorId: string, amount: string, totalCommitted: string) => ev('InvestmentCommitted', { investorId, amount, currency: 'USD', totalCommitted });
const captureRequested = (commitment: number, investorId: string, amount: string, attempt = 1) =>
  ev('PaymentCaptureRequested', { commitment, investorId, amount, currency: 'USD', attempt, idempotencyKey: `cap-${capitalRequestId}-${commitment}-${attempt}` });
const captured = (paymentId: string, commitment: number, amount: string, totalCaptured: string) =>
  ev('PaymentCaptured', { paymentId, amount, currency: 'USD', totalCaptured, commitment });
const open = [requested, ready, started, approved, proposed];
const fullyCommitted = [...open, committed(alice, '600.00', '600.00'), committed(bob, '400.00', '1000.00')];
const capturing = [...fullyCommitted, captureRequested(1, alice, '600.00'), captureRequested(2, bob, '400.00')];
const expireCmd = (reason: string, deadline: string) => cmd('ExpireCapitalRequest', { reason, deadline });

describe('capital saga: readiness and due diligence', () => {
  it('checks readiness when capital is requested, with a deadline from the request time', () => {
    given([]).when(requested).then({ commands: [cmd('CheckCapitalReadiness', { ventureId, deadline: plus(T0, 24 * HOUR) })] });
  });

  it('schedules the readiness deadline while the founder is asked for metrics', () => {
    const deadline = plus(T0, 24 * HOUR);
    given([requested])
      .when(ev('CapitalReadinessAwaited', { missingMetricIds: ['safeguarding_policy'], deadline }))
      .then({ timers: [{ id: `readiness@${deadline}`, dueAt: deadline, command: expireCmd('READINESS_DEADLINE', deadline) }] });
  });

  it('checks again when a metric the instrument needs is verified while it waits', () => {
    const verified = logged('GEDSIMetricVerified', { ventureId, metricId: 'safeguarding_policy', period: '2026', value: 1, verifiedBy: 'a' }, T1);
    const awaited = ev('CapitalReadinessAwaited', { missingMetricIds: ['safeguarding_policy'], deadline: plus(T0, 24 * HOUR) });
    given([requested, awaited]).when(verified).then({ commands: [cmd('CheckCapitalReadiness', { ventureId, deadline: plus(T1, 24 * HOUR) })] });
  });

  it('ignores verified metrics the instrument does not need, and any once ready', () => {
    const other = logged('GEDSIMetricVerified', { ventureId, metricId: 'women_board_pct', period: '2026', value: 1, verifiedBy: 'a' });
    given([requested]).when(other).thenNothing();
    const needed = logged('GEDSIMetricVerified', { ventureId, metricId: 'safeguarding_policy', period: '2026', value: 1, verifiedBy: 'a' });
    given([requested, ready]).when(needed).thenNothing();
  });

  it('is found by its venture only while readiness is open', () => {
    const { state } = given([]).when(requested);
    expect(saga.associations(state)).toEqual([`venture:${ventureId}`]);
    expect(saga.associations(given([requested]).when(ready).state)).toEqual([]);
  });

  it('cancels the readiness deadline and starts due diligence once ready', () => {
    const deadline = plus(T0, 24 * HOUR);
    given([requested, ev('CapitalReadinessAwaited', { missingMetricIds: ['safeguarding_policy'], deadline })])
      .when(ready)
      .then({ cancelTimers: [`readiness@${deadline}`], commands: [cmd('StartDueDiligence', { deadline: DD })] });
  });

  it('schedules the due diligence deadline, and on approval cancels it and proposes round 1', () => {
    given([requested, ready]).when(started).then({ timers: [{ id: `due-diligence@${DD}`, dueAt: DD, command: expireCmd('DUE_DILIGENCE_DEADLINE', DD) }] });
    given([requested, ready, started]).when(approved).then({ cancelTimers: [`due-diligence@${DD}`], commands: [cmd('ProposeCapital', { round: 1, deadline: WINDOW, ...match })] });
  });

  it('cancels every timer when due diligence is rejected', () => {
    given([requested, ready, started]).when(ev('DueDiligenceRejected', { rejectedBy: 'a', reason: 'no' })).then({ cancelTimers: 'all' });
  });
});

describe('capital saga: commitments and captures', () => {
  it('opens the commitment window when proposed', () => {
    given([requested, ready, started, approved])
      .when(proposed)
      .then({ timers: [{ id: `window-1@${WINDOW}`, dueAt: WINDOW, command: expireCmd('COMMITMENT_WINDOW', WINDOW) }] });
  });

  it('waits while commitments do not cover the request', () => {
    given(open).when(committed(alice, '600.00', '600.00')).thenNothing();
  });

  it('closes the window and asks for the capture of every commitment once covered', () => {
    given([...open, committed(alice, '600.00', '600.00')])
      .when(committed(bob, '400.00', '1000.00'))
      .then({
        cancelTimers: [`window-1@${WINDOW}`],
        commands: [cmd('RequestPaymentCapture', { commitment: 1, attempt: 1 }), cmd('RequestPaymentCapture', { commitment: 2, attempt: 1 })],
      });
  });

  it('has the provider capture each requested commitment with its idempotency key', () => {
    given(fullyCommitted)
      .when(captureRequested(1, alice, '600.00'))
      .then({
        commands: [
          cmd('CaptureAtProvider', { commitment: 1, investorId: alice, amount: '600.00', currency: 'USD', attempt: 1, idempotencyKey: `cap-${capitalRequestId}-1-1` }),
        ],
      });
  });

  it('retries a declined capture with backoff, then releases the commitment', () => {
    const failed = (attempt: number) => ev('PaymentCaptureFailed', { commitment: 2, attempt, reason: 'declined' }, T1);
    given(capturing)
      .when(failed(1))
      .then({ timers: [{ id: 'capture-2-2', dueAt: plus(T1, 60_000), command: cmd('RequestPaymentCapture', { commitment: 2, attempt: 2 }) }] });
    given([...capturing, failed(1), captureRequested(2, bob, '400.00', 2)])
      .when(failed(2))
      .then({ timers: [{ id: 'capture-2-3', dueAt: plus(T1, 120_000), command: cmd('RequestPaymentCapture', { commitment: 2, attempt: 3 }) }] });
    given([...capturing, failed(1), captureRequested(2, bob, '400.00', 2), failed(2), captureRequested(2, bob, '400.00', 3)])
      .when(failed(3))
      .then({ commands: [cmd('ReleaseCommitment', { commitment: 2, reason: 'CAPTURE_FAILED' })] });
  });

  it('proposes again after a commitment is released for a failed capture', () => {
    given([...capturing, ev('PaymentCaptureFailed', { commitment: 2, attempt: 3, reason: 'x' })])
      .when(ev('CommitmentReleased', { commitment: 2, investorId: bob, amount: '400.00', currency: 'USD', reason: 'CAPTURE_FAILED', totalCommitted: '600.00' }, T1))
      .then({ commands: [cmd('ProposeCapital', { round: 2, deadline: WINDOW, ...match })] });
  });

  it('requests the disbursement once the captures cover the request', () => {
    given([...capturing, captured('pay-1', 1, '600.00', '600.00')]).when(captured('pay-2', 2, '400.00', '1000.00')).then({ commands: [cmd('RequestDisbursement')] });
    given(capturing).when(captured('pay-1', 1, '600.00', '600.00')).thenNothing();
  });
});

describe('capital saga: disbursement and compensation', () => {
  const fullyCaptured = [...capturing, captured('pay-1', 1, '600.00', '600.00'), captured('pay-2', 2, '400.00', '1000.00')];
  const key = `payout-${capitalRequestId}-1`;
  const disbursing = [...fullyCaptured, ev('DisbursementRequested', { ventureId, amount: '1000.00', currency: 'USD', attempt: 1, idempotencyKey: key })];
  const refund = (paymentId: string, amount: string) => cmd('RefundAtProvider', { paymentId, amount, currency: 'USD', idempotencyKey: `refund-${capitalRequestId}-${paymentId}` });

  it('pays out through the provider with the disbursement key', () => {
    given(fullyCaptured)
      .when(disbursing[disbursing.length - 1] ?? requested)
      .then({ commands: [cmd('DisburseAtProvider', { ventureId, amount: '1000.00', currency: 'USD', idempotencyKey: key })] });
  });

  it('closes when the funds are disbursed', () => {
    const { state } = given(disbursing).when(ev('FundsDisbursed', { payoutId: 'po', amount: '1000.00', currency: 'USD', totalDisbursed: '1000.00' }));
    expect(saga.isDone(state)).toBe(true);
  });

  it('cancels after a failed disbursement, then refunds every captured payment', () => {
    given(disbursing)
      .when(ev('DisbursementFailed', { attempt: 1, idempotencyKey: key, reason: 'account closed' }))
      .then({ commands: [cmd('CancelCapitalRequest', { reason: 'the disbursement failed: account closed' })] });
    given([...disbursing, ev('DisbursementFailed', { attempt: 1, idempotencyKey: key, reason: 'x' })])
      .when(ev('CapitalRequestCancelled', { cancelledBy: 'saga:capital', reason: 'x' }))
      .then({ cancelTimers: 'all', commands: [refund('pay-1', '600.00'), refund('pay-2', '400.00')] });
  });

  it('refunds a capture that completes after the request expired, and releases one that fails then', () => {
    const expired = ev('CapitalRequestExpired', { reason: 'COMMITMENT_WINDOW', deadline: WINDOW });
    given([...capturing, expired]).when(captured('pay-1', 1, '600.00', '600.00')).then({ commands: [refund('pay-1', '600.00')] });
    given([...capturing, expired])
      .when(ev('PaymentCaptureFailed', { commitment: 2, attempt: 1, reason: 'x' }))
      .then({ commands: [cmd('ReleaseCommitment', { commitment: 2, reason: 'EXPIRED' })] });
  });

  it('is done once a final request holds no money and captures nothing', () => {
    const expired = ev('CapitalRequestExpired', { reason: 'COMMITMENT_WINDOW', deadline: WINDOW });
    expect(saga.isDone(given([...open]).when(expired).state)).toBe(true);
    expect(saga.isDone(given([...capturing]).when(expired).state)).toBe(false);
  });
});
