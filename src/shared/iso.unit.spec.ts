import { DomainError } from './decider';
import { assertCountry, isCountryCode } from './iso';

describe('isCountryCode', () => {
  it.each(['KE', 'US', 'ID', 'NP', 'GB'])('accepts %p', (code) => {
    expect(isCountryCode(code)).toBe(true);
  });

  it.each(['ke', 'Ke', 'KEN', '404', 'ZZ', 'QQ', '', ' KE', 'K'])('refuses %p', (code) => {
    expect(isCountryCode(code)).toBe(false);
  });

  it('refuses values that are not strings', () => {
    expect(isCountryCode(404)).toBe(false);
    expect(isCountryCode(null)).toBe(false);
  });
});

describe('assertCountry', () => {
  it('passes a valid code', () => {
    expect(() => assertCountry('KE')).not.toThrow();
  });

  it('refuses a lower-case code as bad input on the country field', () => {
    expect(() => assertCountry('ke')).toThrow(DomainError);
    expect(() => assertCountry('ke')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'country' }));
  });

  it('names the given field', () => {
    expect(() => assertCountry('XX', 'headquarters')).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'headquarters', message: expect.stringContaining('headquarters must be') }),
    );
  });
});
