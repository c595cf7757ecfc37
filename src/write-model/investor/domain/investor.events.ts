import type { Event } from '../../../shared/decider';
import type { CapitalInstrument } from '../../capital/domain/capital.events';

/** Tickets are decimal strings in `currency` ("50000.00"); countries empty means any country. */
export type InvestorRegistered = Event<
  'InvestorRegistered',
  {
    investorId: string;
    name: string;
    sectors: string[];
    countries: string[];
    instruments: CapitalInstrument[];
    currency: string;
    minTicket: string;
    maxTicket: string;
  }
>;

export type InvestorEvent = InvestorRegistered;
