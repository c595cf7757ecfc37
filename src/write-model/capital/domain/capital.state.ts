import { parseAmount } from '../../../shared/money';
import type { CapitalEvent, CapitalInstrument } from './capital.events';

/** The part of the contract's CapitalRequestStatus this aggregate decides. */
export type CapitalRequestStatus = 'REQUESTED' | 'COMMITTED' | 'CAPTURED';

export type NoCapitalRequest = Readonly<{ status: 'NONE' }>;

/** Invariant: captured <= committed <= requested, all in minor units of `currency`. */
export type CapitalRequest = Readonly<{
  status: CapitalRequestStatus;
  capitalRequestId: string;
  ventureId: string;
  currency: string;
  instrument: CapitalInstrument;
  requested: bigint;
  committed: bigint;
  captured: bigint;
  /** Captured amount per provider paymentId (a Map: ids such as "constructor" must not hit Object.prototype). */
  payments: ReadonlyMap<string, bigint>;
}>;

export type CapitalState = NoCapitalRequest | CapitalRequest;

export const initialState = (): CapitalState => ({ status: 'NONE' });

const statusOf = (requested: bigint, committed: bigint, captured: bigint): CapitalRequestStatus => {
  if (captured >= requested) return 'CAPTURED';
  if (committed >= requested) return 'COMMITTED';
  return 'REQUESTED';
};

const withTotals = (request: CapitalRequest, committed: bigint, captured: bigint): CapitalRequest => ({
  ...request,
  committed,
  captured,
  status: statusOf(request.requested, committed, captured),
});

export const evolve = (state: CapitalState, event: CapitalEvent): CapitalState => {
  switch (event.type) {
    case 'CapitalRequested': {
      const { capitalRequestId, ventureId, currency, instrument, amount } = event.data;
      return {
        status: 'REQUESTED',
        capitalRequestId,
        ventureId,
        currency,
        instrument,
        requested: parseAmount(amount, currency),
        committed: 0n,
        captured: 0n,
        payments: new Map(),
      };
    }
    case 'InvestmentCommitted': {
      if (state.status === 'NONE') return state;
      return withTotals(state, parseAmount(event.data.totalCommitted, state.currency), state.captured);
    }
    case 'PaymentCaptured': {
      if (state.status === 'NONE') return state;
      const { paymentId, amount, totalCaptured } = event.data;
      const payments = new Map(state.payments).set(paymentId, parseAmount(amount, state.currency));
      return { ...withTotals(state, state.committed, parseAmount(totalCaptured, state.currency)), payments };
    }
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};
