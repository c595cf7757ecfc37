import { isValid } from 'i18n-iso-countries';
import { badInput } from './decider';

const ALPHA2_UPPER = /^[A-Z]{2}$/;

/** ISO 3166-1 alpha-2 in upper case only: "us", "USA" and "840" are refused although the library knows them. */
export const isCountryCode = (code: unknown): code is string =>
  typeof code === 'string' && ALPHA2_UPPER.test(code) && isValid(code);

export const assertCountry = (code: string, field = 'country'): void => {
  if (!isCountryCode(code)) {
    throw badInput(field, `${field} must be an upper-case ISO 3166-1 alpha-2 country code such as "KE", got ${JSON.stringify(code)}`);
  }
};
