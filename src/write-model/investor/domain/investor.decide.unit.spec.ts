import type { CommandContext } from '../../../shared/decider';
import { DeciderSpecification } from '../../testing/decider-spec';
import type { RegisterInvestor } from './investor.commands';
import { investorDecider, streamId } from './investor.decider';
import type { InvestorRegistered } from './investor.events';

const context: CommandContext = { now: '2026-05-01T10:00:00.000Z', actor: 'admin-1', tenant: 'tenant-a' };
const investorId = 'c3e9a3a2-1b7d-4d5f-9a0e-7c2b1d4e5f60';
const given = DeciderSpecification.for(investorDecider).given;
const data: RegisterInvestor['data'] = {
  investorId,
  name: ' Acacia Fund ',
  sectors: ['Energy', ' energy', 'Energy '],
  countries: ['KE', 'UG'],
  instruments: ['EQUITY', 'GRANT'],
  currency: 'USD',
  minTicket: '1000',
  maxTicket: '50000.5',
};
const register = (changes: Partial<RegisterInvestor['data']> = {}): RegisterInvestor => ({ type: 'RegisterInvestor', data: { ...data, ...changes }, context });
const registered: InvestorRegistered = {
  type: 'InvestorRegistered',
  data: { ...data, name: 'Acacia Fund', sectors: ['Energy', 'energy'], minTicket: '1000.00', maxTicket: '50000.50' },
};

describe('RegisterInvestor', () => {
  it('registers an investor with trimmed names and tickets in minor units', () => {
    given([]).when(register()).then([registered]);
  });

  it('refuses a second registration of the same investor', () => {
    given([registered]).when(register()).thenThrows('CONFLICT');
  });

  it('refuses a minimum ticket above the maximum', () => {
    given([]).when(register({ minTicket: '60000' })).thenThrows('BAD_USER_INPUT', 'minTicket');
  });

  it('refuses unknown countries, no instruments and blank sectors', () => {
    given([]).when(register({ countries: ['XX'] })).thenThrows('BAD_USER_INPUT', 'countries');
    given([]).when(register({ instruments: [] })).thenThrows('BAD_USER_INPUT', 'instruments');
    given([]).when(register({ sectors: [' '] })).thenThrows('BAD_USER_INPUT', 'sectors');
    given([]).when(register({ maxTicket: '0' })).thenThrows('BAD_USER_INPUT', 'maxTicket');
  });

  it('accepts an empty country list, meaning any country', () => {
    given([]).when(register({ countries: [] })).then([{ ...registered, data: { ...registered.data, countries: [] } }]);
  });

  it('names streams investor-<id>', () => {
    expect(streamId(investorId)).toBe(`investor-${investorId}`);
  });
});
