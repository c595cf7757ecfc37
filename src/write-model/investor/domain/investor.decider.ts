import type { Decider } from '../../../shared/decider';
import type { InvestorCommand } from './investor.commands';
import { decide } from './investor.decide';
import type { InvestorEvent } from './investor.events';
import { evolve, initialState, type InvestorState } from './investor.state';

export const investorDecider: Decider<InvestorState, InvestorCommand, InvestorEvent> = { initialState, evolve, decide };

export const streamId = (investorId: string): string => `investor-${investorId}`;

export const investorEventTypes = ['InvestorRegistered'] as const satisfies readonly InvestorEvent['type'][];
export const isInvestorEventType = (type: string): type is InvestorEvent['type'] => (investorEventTypes as readonly string[]).includes(type);
