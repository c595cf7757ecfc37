import { code as findCurrency } from 'currency-codes';
import { badInput } from './decider';

/**
 * Money as bigint minor units: amounts never pass through floating point, so "0.10" + "0.20" is exactly
 * "0.30" and totals can be compared with the requested amount without rounding.
 */

const ALPHA3_UPPER = /^[A-Z]{3}$/;
const PLAIN_DECIMAL = /^([0-9]+)(?:\.([0-9]+))?$/;
const MAX_INTEGER_DIGITS = 18;

/** Minor units of the codes seen so far: `findCurrency` scans the whole ISO 4217 list (every amount read asks). */
const knownMinorUnits = new Map<string, number>();

export const currencyMinorUnits = (code: string): number => {
  const known = knownMinorUnits.get(code);
  if (known !== undefined) return known;
  if (typeof code !== 'string' || !ALPHA3_UPPER.test(code)) {
    throw badInput('currency', `currency must be an upper-case ISO 4217 alpha-3 code such as "USD", got ${JSON.stringify(code)}`);
  }
  const record = findCurrency(code);
  if (record === undefined) throw badInput('currency', `currency "${code}" is not an ISO 4217 currency code`);
  knownMinorUnits.set(code, record.digits);
  return record.digits;
};

const decimalsAllowed = (currency: string, digits: number): string =>
  digits === 0 ? `${currency} allows no decimals` : `${currency} allows at most ${digits} decimal${digits === 1 ? '' : 's'}`;

export const parseAmount = (amount: string, currency: string, field = 'amount'): bigint => {
  const digits = currencyMinorUnits(currency);
  if (typeof amount !== 'string') throw badInput(field, `${field} must be a decimal string such as "1500.00"`);
  if (amount === '') throw badInput(field, `${field} must not be empty`);
  if (/\s/.test(amount)) throw badInput(field, `${field} must not contain spaces`);
  if (amount.startsWith('-')) throw badInput(field, `${field} must not be negative`);
  if (amount.startsWith('+')) throw badInput(field, `${field} must not start with "+"`);
  if (/[eE]/.test(amount)) throw badInput(field, `${field} must be a plain decimal, not exponent notation`);
  const match = PLAIN_DECIMAL.exec(amount);
  if (match === null) throw badInput(field, `${field} must be a decimal number such as "1500.00", got ${JSON.stringify(amount)}`);
  const integer = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (integer.length > MAX_INTEGER_DIGITS) {
    throw badInput(field, `${field} must have at most ${MAX_INTEGER_DIGITS} integer digits, got ${integer.length}`);
  }
  if (fraction.length > digits) {
    throw badInput(field, `${field} has ${fraction.length} decimals but ${decimalsAllowed(currency, digits)}`);
  }
  return BigInt(integer + fraction.padEnd(digits, '0'));
};

export const formatAmount = (minor: bigint, currency: string): string => {
  const digits = currencyMinorUnits(currency);
  const sign = minor < 0n ? '-' : '';
  const magnitude = (minor < 0n ? -minor : minor).toString().padStart(digits + 1, '0');
  if (digits === 0) return sign + magnitude;
  return `${sign}${magnitude.slice(0, -digits)}.${magnitude.slice(-digits)}`;
};
