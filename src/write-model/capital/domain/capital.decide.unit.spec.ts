import type { CommandContext } from '../../../shared/decider';
import { DeciderSpecification } from '../../testing/decider-spec';
import type { CapturePayment, CommitInvestment, RequestCapital } from './capital.commands';
import { capitalDecider, isCapitalCommandType, isCapitalEventType, streamId } from './capital.decider';
import type { CapitalEvent, CapitalInstrument, CapitalRequested, InvestmentCommitted, PaymentCaptured } from './capital.events';

const context: CommandContext = { now: '2026-05-01T10:00:00.000Z', actor: 'investor-user', tenant: 'tenant-a' };
const capitalRequestId = '6a1d6f8e-2f0b-4c35-8f0e-3b7f2d9c1a40';
const ventureId = '0b8f2c1e-5d0c-4d6a-9a57-0e1f6a3c2b11';
const investorId = 'c3e9a3a2-1b7d-4d5f-9a0e-7c2b1d4e5f60';
const given = DeciderSpecification.for(capitalDecider).given;

const request = (data: Partial<RequestCapital['data']> = {}): RequestCapital => ({
  type: 'RequestCapital',
  data: { capitalRequestId, ventureId, amount: '1000', currency: 'USD', instrument: 'GRANT', purpose: 'Solar kits', ...data },
  context,
});
const commit = (amount: string, currency = 'USD'): CommitInvestment => ({
  type: 'CommitInvestment',
  data: { capitalRequestId, investorId, amount, currency },
  context,
});
const capture = (paymentId: string, amount: string, currency = 'USD'): CapturePayment => ({
  type: 'CapturePayment',
  data: { capitalRequestId, paymentId, amount, currency },
  context,
});

const requested: CapitalRequested = {
  type: 'CapitalRequested',
  data: { capitalRequestId, ventureId, amount: '1000.00', currency: 'USD', instrument: 'GRANT', purpose: 'Solar kits' },
};
const committed = (amount: string, totalCommitted: string): InvestmentCommitted => ({
  type: 'InvestmentCommitted',
  data: { capitalRequestId, investorId, amount, currency: 'USD', totalCommitted },
});
const captured = (paymentId: string, amount: string, totalCaptured: string): PaymentCaptured => ({
  type: 'PaymentCaptured',
  data: { capitalRequestId, paymentId, amount, currency: 'USD', totalCaptured, commitment: null },
});

const notAnInstrument: string = 'LOTTERY';

describe('RequestCapital', () => {
  it('requests capital with the amount written in the currency minor units', () => {
    given([]).when(request()).then([requested]);
  });

  it('normalises "1000.5" USD to "1000.50"', () => {
    given([])
      .when(request({ amount: '1000.5' }))
      .then([{ ...requested, data: { ...requested.data, amount: '1000.50' } }]);
  });

  it('writes JPY amounts without decimals', () => {
    given([])
      .when(request({ amount: '1500', currency: 'JPY' }))
      .then([{ ...requested, data: { ...requested.data, amount: '1500', currency: 'JPY' } }]);
  });

  it('refuses a second request with the same id', () => {
    given([requested]).when(request()).thenThrows('CONFLICT');
  });

  it.each(['0', '0.00'])('refuses the amount %p, which is not greater than 0', (amount) => {
    given([]).when(request({ amount })).thenThrows('BAD_USER_INPUT', 'amount', 'amount must be greater than 0');
  });

  it('accepts the smallest positive amount', () => {
    given([])
      .when(request({ amount: '0.01' }))
      .then([{ ...requested, data: { ...requested.data, amount: '0.01' } }]);
  });

  it('refuses an amount with more decimals than the currency has', () => {
    given([]).when(request({ amount: '10.001' })).thenThrows('BAD_USER_INPUT', 'amount', /USD allows at most 2/);
  });

  it('refuses decimals for JPY', () => {
    given([]).when(request({ amount: '10.5', currency: 'JPY' })).thenThrows('BAD_USER_INPUT', 'amount', /JPY allows no decimals/);
  });

  it('refuses a negative amount', () => {
    given([]).when(request({ amount: '-10' })).thenThrows('BAD_USER_INPUT', 'amount', /negative/);
  });

  it.each(['usd', 'XYZ', 'US'])('refuses the currency %p', (currency) => {
    given([]).when(request({ currency })).thenThrows('BAD_USER_INPUT', 'currency');
  });

  it('refuses an instrument outside the enum', () => {
    given([])
      .when(request({ instrument: notAnInstrument as CapitalInstrument }))
      .thenThrows('BAD_USER_INPUT', 'instrument', /GRANT, EQUITY, DEBT, CONVERTIBLE, GUARANTEE/);
  });

  it('accepts a purpose of exactly 2000 characters and refuses 2001', () => {
    const purpose = 'p'.repeat(2000);
    given([]).when(request({ purpose })).then([{ ...requested, data: { ...requested.data, purpose } }]);
    given([]).when(request({ purpose: 'p'.repeat(2001) })).thenThrows('BAD_USER_INPUT', 'purpose', /1-2000/);
  });

  it('refuses a blank purpose', () => {
    given([]).when(request({ purpose: '  ' })).thenThrows('BAD_USER_INPUT', 'purpose');
  });
});

describe('CommitInvestment', () => {
  it('refuses a commitment to a request that does not exist', () => {
    given([]).when(commit('100')).thenThrows('NOT_FOUND');
  });

  it('commits an investment and carries the running total', () => {
    given([requested, committed('400.00', '400.00')])
      .when(commit('100.5'))
      .then([committed('100.50', '500.50')]);
  });

  it('accepts a commitment of exactly what is left', () => {
    given([requested, committed('400.00', '400.00')])
      .when(commit('600'))
      .then([committed('600.00', '1000.00')]);
  });

  it('refuses a commitment larger than what is left', () => {
    given([requested, committed('400.00', '400.00')])
      .when(commit('600.01'))
      .thenThrows('BAD_USER_INPUT', 'amount', 'amount 600.01 USD exceeds what is left to commit: 600.00 USD');
  });

  it('refuses any commitment once the request is fully committed', () => {
    given([requested, committed('1000.00', '1000.00')])
      .when(commit('0.01'))
      .thenThrows('BAD_USER_INPUT', 'amount', /left to commit: 0.00 USD/);
  });

  it('refuses a commitment in another currency than the request', () => {
    given([requested]).when(commit('100', 'EUR')).thenThrows('BAD_USER_INPUT', 'currency', /must be USD/);
  });

  it('refuses a commitment of 0', () => {
    given([requested]).when(commit('0')).thenThrows('BAD_USER_INPUT', 'amount', 'amount must be greater than 0');
  });

  it('refuses a commitment with too many decimals', () => {
    given([requested]).when(commit('1.001')).thenThrows('BAD_USER_INPUT', 'amount');
  });
});

describe('CapturePayment', () => {
  const fullyCommitted: CapitalEvent[] = [requested, committed('1000.00', '1000.00')];

  it('refuses a capture for a request that does not exist', () => {
    given([]).when(capture('pay-1', '10')).thenThrows('NOT_FOUND');
  });

  it('captures a payment and carries the running total', () => {
    given([...fullyCommitted, captured('pay-1', '250.00', '250.00')])
      .when(capture('pay-2', '250'))
      .then([captured('pay-2', '250.00', '500.00')]);
  });

  it('captures the same paymentId once', () => {
    given([...fullyCommitted, captured('pay-1', '250.00', '250.00')])
      .when(capture('pay-1', '250.0'))
      .thenNothing();
  });

  it('treats a repeated paymentId as already done even when the request is fully captured', () => {
    given([...fullyCommitted, captured('pay-1', '1000.00', '1000.00')])
      .when(capture('pay-1', '1000'))
      .thenNothing();
  });

  it('refuses the same paymentId with a different amount', () => {
    given([...fullyCommitted, captured('pay-1', '250.00', '250.00')])
      .when(capture('pay-1', '300'))
      .thenThrows('CONFLICT', undefined, 'payment pay-1 was already captured with 250.00 USD');
  });

  it('refuses the same paymentId with a different currency', () => {
    given([...fullyCommitted, captured('pay-1', '250.00', '250.00')])
      .when(capture('pay-1', '250', 'EUR'))
      .thenThrows('CONFLICT');
  });

  it('accepts a capture of exactly what is committed and not yet captured', () => {
    given([requested, committed('400.00', '400.00')])
      .when(capture('pay-1', '400'))
      .then([captured('pay-1', '400.00', '400.00')]);
  });

  it('refuses a capture larger than what is committed and not yet captured', () => {
    given([requested, committed('400.00', '400.00'), captured('pay-1', '300.00', '300.00')])
      .when(capture('pay-2', '100.01'))
      .thenThrows('BAD_USER_INPUT', 'amount', 'amount 100.01 USD exceeds what is committed and not yet captured: 100.00 USD');
  });

  it('refuses a capture before any commitment', () => {
    given([requested]).when(capture('pay-1', '1')).thenThrows('BAD_USER_INPUT', 'amount', /not yet captured: 0.00 USD/);
  });

  it('refuses a capture in another currency than the request', () => {
    given(fullyCommitted).when(capture('pay-1', '10', 'EUR')).thenThrows('BAD_USER_INPUT', 'currency');
  });

  it('refuses a capture of 0', () => {
    given(fullyCommitted).when(capture('pay-1', '0')).thenThrows('BAD_USER_INPUT', 'amount', 'amount must be greater than 0');
  });

  it('refuses an empty paymentId', () => {
    given(fullyCommitted).when(capture(' ', '10')).thenThrows('BAD_USER_INPUT', 'paymentId');
  });

  it('does not mistake a paymentId named like an Object.prototype member for a captured one', () => {
    given(fullyCommitted)
      .when(capture('constructor', '10'))
      .then([captured('constructor', '10.00', '10.00')]);
  });
});

describe('capital request status', () => {
  const statusAfter = (events: CapitalEvent[]): string =>
    events.reduce(capitalDecider.evolve, capitalDecider.initialState()).status;

  it('has no status before the request', () => {
    expect(statusAfter([])).toBe('NONE');
  });

  it('is REQUESTED while commitments do not cover the amount', () => {
    expect(statusAfter([requested])).toBe('REQUESTED');
    expect(statusAfter([requested, committed('999.99', '999.99')])).toBe('REQUESTED');
  });

  it('is COMMITTED once commitments cover the full amount', () => {
    expect(statusAfter([requested, committed('600.00', '600.00'), committed('400.00', '1000.00')])).toBe('COMMITTED');
  });

  it('stays COMMITTED while captures do not cover the full amount', () => {
    expect(statusAfter([requested, committed('1000.00', '1000.00'), captured('pay-1', '999.99', '999.99')])).toBe('COMMITTED');
  });

  it('is CAPTURED once captures cover the full amount', () => {
    expect(
      statusAfter([requested, committed('1000.00', '1000.00'), captured('pay-1', '500.00', '500.00'), captured('pay-2', '500.00', '1000.00')]),
    ).toBe('CAPTURED');
  });
});

describe('capital decider exports', () => {
  it('names streams capital-<id>', () => {
    expect(streamId(capitalRequestId)).toBe(`capital-${capitalRequestId}`);
  });

  it('recognises its own event and command types only', () => {
    expect(isCapitalEventType('PaymentCaptured')).toBe(true);
    expect(isCapitalEventType('VentureCreated')).toBe(false);
    expect(isCapitalCommandType('CapturePayment')).toBe(true);
    expect(isCapitalCommandType('PaymentCaptured')).toBe(false);
  });
});
