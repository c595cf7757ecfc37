import { minorUnitsAmount } from './capital.queries';

describe('minorUnitsAmount (PostgreSQL numeric text to the contract amount)', () => {
  it.each([
    ['1000.00', 'USD'],
    ['0.00', 'USD'],
    ['1500', 'JPY'],
    ['0', 'JPY'],
    ['1000.000', 'KWD'],
    ['12.345', 'BHD'],
    ['0.000', 'BHD'],
  ])('passes %p %s through unchanged: it already has the currency’s minor digits', (amount, currency) => {
    expect(minorUnitsAmount(amount, currency)).toBe(amount);
  });

  it.each([
    ['1000', 'USD', '1000.00'],
    ['1000.5', 'USD', '1000.50'],
    ['0', 'USD', '0.00'],
    ['12', 'BHD', '12.000'],
    ['12.3', 'BHD', '12.300'],
    ['12.34', 'KWD', '12.340'],
  ])('normalizes %p %s to %p', (amount, currency, expected) => {
    expect(minorUnitsAmount(amount, currency)).toBe(expected);
  });

  it('normalizes a JPY amount with zero decimals ("1500.00") to "1500"', () => {
    expect(minorUnitsAmount('1500.00', 'JPY')).toBe('1500');
  });

  it('strips trailing zeros beyond the currency’s digits, and refuses more precision than it has', () => {
    expect(minorUnitsAmount('1000.500', 'USD')).toBe('1000.50');
    expect(() => minorUnitsAmount('1000.001', 'USD')).toThrow(/decimals/);
    expect(() => minorUnitsAmount('-5.00', 'USD')).toThrow(/negative/);
  });
});
