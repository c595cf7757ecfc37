import { badInput, conflict, notFound } from '../../../shared/decider';
import { currencyMinorUnits, formatAmount, parseAmount } from '../../../shared/money';
import type { CapitalCommand, CapturePayment, CommitInvestment, RequestCapital } from './capital.commands';
import {
  capitalInstruments,
  type CapitalEvent,
  type CapitalInstrument,
  type CapitalRequested,
  type InvestmentCommitted,
  type PaymentCaptured,
} from './capital.events';
import type { CapitalRequest, CapitalState } from './capital.state';

export const PURPOSE_MAX = 2000;

const money = (minor: bigint, currency: string): string => `${formatAmount(minor, currency)} ${currency}`;

const positiveAmount = (amount: string, currency: string): bigint => {
  const minor = parseAmount(amount, currency);
  if (minor <= 0n) throw badInput('amount', 'amount must be greater than 0');
  return minor;
};

const instrument = (value: CapitalInstrument): CapitalInstrument => {
  if (!capitalInstruments.includes(value)) {
    throw badInput('instrument', `instrument must be one of ${capitalInstruments.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value;
};

const purpose = (value: string): string => {
  const text = typeof value === 'string' ? value.trim() : '';
  const size = Array.from(text).length;
  if (size < 1 || size > PURPOSE_MAX) {
    throw badInput('purpose', `purpose must be 1-${PURPOSE_MAX} characters after trimming, got ${size}`);
  }
  return text;
};

const nonEmptyId = (value: string, field: string): string => {
  if (typeof value !== 'string' || value.trim() === '') throw badInput(field, `${field} must not be empty`);
  return value;
};

const existing = (state: CapitalState, capitalRequestId: string): CapitalRequest => {
  if (state.status === 'NONE') throw notFound(`capital request ${capitalRequestId} not found`);
  return state;
};

const sameCurrency = (request: CapitalRequest, currency: string): void => {
  currencyMinorUnits(currency);
  if (currency !== request.currency) {
    throw badInput('currency', `currency must be ${request.currency}, the currency of the request, got ${currency}`);
  }
};

export const requestCapital = (command: RequestCapital, state: CapitalState): CapitalRequested[] => {
  const { data } = command;
  if (state.status !== 'NONE') throw conflict(`capital request ${data.capitalRequestId} already exists`);
  const amount = positiveAmount(data.amount, data.currency);
  return [
    {
      type: 'CapitalRequested',
      data: {
        capitalRequestId: data.capitalRequestId,
        ventureId: data.ventureId,
        amount: formatAmount(amount, data.currency),
        currency: data.currency,
        instrument: instrument(data.instrument),
        purpose: purpose(data.purpose),
      },
    },
  ];
};

export const commitInvestment = (command: CommitInvestment, state: CapitalState): InvestmentCommitted[] => {
  const { data } = command;
  const request = existing(state, data.capitalRequestId);
  sameCurrency(request, data.currency);
  const investorId = nonEmptyId(data.investorId, 'investorId');
  const amount = positiveAmount(data.amount, request.currency);
  const left = request.requested - request.committed;
  if (amount > left) {
    throw badInput('amount', `amount ${money(amount, request.currency)} exceeds what is left to commit: ${money(left, request.currency)}`);
  }
  return [
    {
      type: 'InvestmentCommitted',
      data: {
        capitalRequestId: request.capitalRequestId,
        investorId,
        amount: formatAmount(amount, request.currency),
        currency: request.currency,
        totalCommitted: formatAmount(request.committed + amount, request.currency),
      },
    },
  ];
};

export const capturePayment = (command: CapturePayment, state: CapitalState): PaymentCaptured[] => {
  const { data } = command;
  const request = existing(state, data.capitalRequestId);
  const paymentId = nonEmptyId(data.paymentId, 'paymentId');
  const amount = parseAmount(data.amount, data.currency);

  const previous = request.payments.get(paymentId);
  if (previous !== undefined) {
    if (data.currency === request.currency && amount === previous) return [];
    throw conflict(`payment ${paymentId} was already captured with ${money(previous, request.currency)}`);
  }

  sameCurrency(request, data.currency);
  const captured = positiveAmount(data.amount, request.currency);
  const capturable = request.committed - request.captured;
  if (captured > capturable) {
    throw badInput(
      'amount',
      `amount ${money(captured, request.currency)} exceeds what is committed and not yet captured: ${money(capturable, request.currency)}`,
    );
  }
  return [
    {
      type: 'PaymentCaptured',
      data: {
        capitalRequestId: request.capitalRequestId,
        paymentId,
        amount: formatAmount(captured, request.currency),
        currency: request.currency,
        totalCaptured: formatAmount(request.captured + captured, request.currency),
      },
    },
  ];
};

export const decide = (command: CapitalCommand, state: CapitalState): CapitalEvent[] => {
  switch (command.type) {
    case 'RequestCapital':
      return requestCapital(command, state);
    case 'CommitInvestment':
      return commitInvestment(command, state);
    case 'CapturePayment':
      return capturePayment(command, state);
    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown capital command ${JSON.stringify(_exhaustive)}`);
    }
  }
};
