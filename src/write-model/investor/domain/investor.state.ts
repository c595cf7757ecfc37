import type { InvestorEvent, InvestorRegistered } from './investor.events';

export type InvestorProfile = InvestorRegistered['data'];

export type InvestorState = Readonly<{ status: 'NONE' }> | Readonly<{ status: 'REGISTERED'; profile: InvestorProfile }>;

export const initialState = (): InvestorState => ({ status: 'NONE' });

export const evolve = (_state: InvestorState, event: InvestorEvent): InvestorState => {
  switch (event.type) {
    case 'InvestorRegistered':
      return { status: 'REGISTERED', profile: event.data };
    default: {
      const _exhaustive: never = event.type;
      return _state;
    }
  }
};
