import { badInput, conflict, notFound } from '../../../shared/decider';
import { currencyMinorUnits, formatAmount, parseAmount } from '../../../shared/money';
import type { CapitalRequest, CapitalState, Commitment } from './capital.state';

/** Checks shared by the capital decide functions. */

export const money = (minor: bigint, currency: string): string => `${formatAmount(minor, currency)} ${currency}`;

export const positiveAmount = (amount: string, currency: string): bigint => {
  const minor = parseAmount(amount, currency);
  if (minor <= 0n) throw badInput('amount', 'amount must be greater than 0');
  return minor;
};

export const nonEmptyId = (value: string, field: string): string => {
  if (typeof value !== 'string' || value.trim() === '') throw badInput(field, `${field} must not be empty`);
  return value;
};

export const existing = (state: CapitalState, capitalRequestId: string): CapitalRequest => {
  if (state.status === 'NONE') throw notFound(`capital request ${capitalRequestId} not found`);
  return state;
};

export const sameCurrency = (request: CapitalRequest, currency: string): void => {
  currencyMinorUnits(currency);
  if (currency !== request.currency) {
    throw badInput('currency', `currency must be ${request.currency}, the currency of the request, got ${currency}`);
  }
};

export const commitmentOf = (request: CapitalRequest, number: number): Commitment => {
  const found = request.commitments.find((c) => c.number === number);
  if (found === undefined) throw badInput('commitment', `capital request ${request.capitalRequestId} has no commitment ${number}`);
  return found;
};

/** A trimmed text of 1-2000 characters. */
export const reasonText = (value: string, field = 'reason'): string => {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length < 1 || text.length > 2000) throw badInput(field, `${field} must be 1-2000 characters after trimming`);
  return text;
};

/** An ISO-8601 instant, normalised to `toISOString()` so equal deadlines compare equal as strings. */
export const instant = (value: string, field = 'deadline'): string => {
  const date = new Date(value);
  if (typeof value !== 'string' || Number.isNaN(date.getTime())) throw badInput(field, `${field} must be an ISO-8601 instant`);
  return date.toISOString();
};

export const notFinal = (request: CapitalRequest): void => {
  if (['REJECTED', 'EXPIRED', 'CANCELLED', 'DISBURSED'].includes(request.phase)) {
    throw conflict(`capital request ${request.capitalRequestId} is already ${request.status}`);
  }
};
