import type { Command } from '../../../shared/decider';
import type { InvestorRegistered } from './investor.events';

export type RegisterInvestor = Command<'RegisterInvestor', InvestorRegistered['data']>;

export type InvestorCommand = RegisterInvestor;
