import { DomainError } from './decider';
import { currencyMinorUnits, formatAmount, parseAmount } from './money';

const errorOf = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, nothing was thrown');
};

describe('currencyMinorUnits', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KES', 2],
    ['BHD', 3],
  ])('knows the minor units of %s (%i)', (code, digits) => {
    expect(currencyMinorUnits(code)).toBe(digits);
  });

  it.each(['usd', 'Usd', 'US', 'USDD', ' USD', '', '840'])('refuses %p, which is not an upper-case alpha-3 code', (code) => {
    const error = errorOf(() => currencyMinorUnits(code));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currency' });
    expect(error.message).toContain('upper-case ISO 4217 alpha-3');
  });

  it('refuses an alpha-3 code that ISO 4217 does not list', () => {
    const error = errorOf(() => currencyMinorUnits('ABC'));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currency', message: 'currency "ABC" is not an ISO 4217 currency code' });
  });
});

describe('parseAmount', () => {
  it.each([
    ['1500', 'USD', 150000n],
    ['1500.5', 'USD', 150050n],
    ['1500.50', 'USD', 150050n],
    ['0.01', 'USD', 1n],
    ['0', 'USD', 0n],
    ['1500', 'JPY', 1500n],
    ['1.005', 'BHD', 1005n],
    ['999999999999999999.99', 'USD', 99999999999999999999n],
  ])('reads %p %s as %p minor units', (amount, currency, minor) => {
    expect(parseAmount(amount, currency)).toBe(minor);
  });

  it('refuses more decimals than the currency has minor units', () => {
    const error = errorOf(() => parseAmount('1.005', 'USD'));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount', message: 'amount has 3 decimals but USD allows at most 2 decimals' });
  });

  it('refuses any decimal for a currency without minor units', () => {
    const error = errorOf(() => parseAmount('1.5', 'JPY'));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount', message: 'amount has 1 decimals but JPY allows no decimals' });
  });

  it.each([
    ['-1', 'amount must not be negative'],
    ['-0', 'amount must not be negative'],
    ['+1', 'amount must not start with "+"'],
    ['1e3', 'amount must be a plain decimal, not exponent notation'],
    ['1E3', 'amount must be a plain decimal, not exponent notation'],
    ['', 'amount must not be empty'],
    [' 1', 'amount must not contain spaces'],
    ['1 000', 'amount must not contain spaces'],
    ['10\t', 'amount must not contain spaces'],
  ])('refuses %p: %s', (amount, message) => {
    expect(errorOf(() => parseAmount(amount, 'USD'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount', message });
  });

  it.each(['1.', '.5', '1,5', '1.2.3', 'abc', '0x10', 'Infinity', 'NaN', '١٢'])('refuses %p, which is not a plain decimal', (amount) => {
    const error = errorOf(() => parseAmount(amount, 'USD'));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount' });
    expect(error.message).toContain('must be a decimal number');
  });

  it('accepts 18 integer digits and refuses 19', () => {
    expect(parseAmount('9'.repeat(18), 'JPY')).toBe(BigInt('9'.repeat(18)));
    expect(errorOf(() => parseAmount('1'.repeat(19), 'JPY'))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'amount',
      message: 'amount must have at most 18 integer digits, got 19',
    });
  });

  it('names the given field in its errors', () => {
    expect(errorOf(() => parseAmount('-5', 'USD', 'target'))).toMatchObject({ field: 'target', message: 'target must not be negative' });
  });

  it('refuses an unknown currency under the currency field', () => {
    expect(errorOf(() => parseAmount('10', 'usd'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currency' });
  });
});

describe('formatAmount', () => {
  it.each([
    [150050n, 'USD', '1500.50'],
    [150000n, 'USD', '1500.00'],
    [5n, 'USD', '0.05'],
    [0n, 'USD', '0.00'],
    [1500n, 'JPY', '1500'],
    [0n, 'JPY', '0'],
    [1005n, 'BHD', '1.005'],
    [-150n, 'USD', '-1.50'],
  ])('writes %p minor units of %s as %p', (minor, currency, text) => {
    expect(formatAmount(minor, currency)).toBe(text);
  });

  it('round-trips what parseAmount reads', () => {
    expect(formatAmount(parseAmount('1500.5', 'USD'), 'USD')).toBe('1500.50');
  });
});
