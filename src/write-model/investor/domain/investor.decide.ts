import { badInput, conflict } from '../../../shared/decider';
import { assertCountry } from '../../../shared/iso';
import { formatAmount } from '../../../shared/money';
import { capitalInstruments } from '../../capital/domain/capital.events';
import { positiveAmount } from '../../capital/domain/capital.rules';
import type { InvestorCommand, RegisterInvestor } from './investor.commands';
import type { InvestorEvent, InvestorRegistered } from './investor.events';
import type { InvestorState } from './investor.state';

const NAME_MAX = 200;

const trimmedList = (values: readonly string[], field: string, max: number): string[] => {
  const list = [...new Set(values.map((v) => (typeof v === 'string' ? v.trim() : '')))];
  if (list.some((v) => v.length === 0 || v.length > max)) throw badInput(field, `every entry of ${field} must be 1-${max} characters after trimming`);
  return list;
};

export const registerInvestor = ({ data }: RegisterInvestor, state: InvestorState): InvestorRegistered[] => {
  if (state.status !== 'NONE') throw conflict(`investor ${data.investorId} is already registered`);
  const name = typeof data.name === 'string' ? data.name.trim() : '';
  if (name.length < 1 || name.length > NAME_MAX) throw badInput('name', `name must be 1-${NAME_MAX} characters after trimming`);
  const sectors = trimmedList(data.sectors, 'sectors', 100);
  if (sectors.length === 0) throw badInput('sectors', 'sectors must name at least one sector');
  data.countries.forEach((country) => assertCountry(country, 'countries'));
  const instruments = [...new Set(data.instruments)];
  if (instruments.length === 0 || instruments.some((i) => !capitalInstruments.includes(i))) {
    throw badInput('instruments', `instruments must list at least one of ${capitalInstruments.join(', ')}`);
  }
  const min = positiveAmount(data.minTicket, data.currency);
  let max: bigint;
  try {
    max = positiveAmount(data.maxTicket, data.currency);
  } catch {
    throw badInput('maxTicket', `maxTicket must be an amount greater than 0 in ${data.currency}`);
  }
  if (min > max) throw badInput('minTicket', 'minTicket must not exceed maxTicket');
  return [
    {
      type: 'InvestorRegistered',
      data: {
        investorId: data.investorId,
        name,
        sectors,
        countries: [...new Set(data.countries)],
        instruments,
        currency: data.currency,
        minTicket: formatAmount(min, data.currency),
        maxTicket: formatAmount(max, data.currency),
      },
    },
  ];
};

export const decide = (command: InvestorCommand, state: InvestorState): InvestorEvent[] => {
  switch (command.type) {
    case 'RegisterInvestor':
      return registerInvestor(command, state);
    default: {
      const _exhaustive: never = command.type;
      throw new Error(`unknown investor command ${String(_exhaustive)}`);
    }
  }
};
