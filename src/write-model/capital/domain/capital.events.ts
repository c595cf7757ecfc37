import type { Event } from '../../../shared/decider';
import type { CapitalWorkflowEvent } from './capital-workflow.events';

export const capitalInstruments = ['GRANT', 'EQUITY', 'DEBT', 'CONVERTIBLE', 'GUARANTEE'] as const;
export type CapitalInstrument = (typeof capitalInstruments)[number];

/** Amounts are decimal strings with exactly the currency's minor units ("1500.00" USD, "1500" JPY). */
export type CapitalRequested = Event<
  'CapitalRequested',
  {
    capitalRequestId: string;
    ventureId: string;
    amount: string;
    currency: string;
    instrument: CapitalInstrument;
    purpose: string;
  }
>;

export type InvestmentCommitted = Event<
  'InvestmentCommitted',
  {
    capitalRequestId: string;
    investorId: string;
    amount: string;
    currency: string;
    totalCommitted: string;
  }
>;

/**
 * Schema version 2: `commitment` names the commitment the provider captured (null for a capture made by hand).
 * Stored v1 events reach `evolve` through the v1 -> v2 upcaster (commitment null).
 */
export type PaymentCaptured = Event<
  'PaymentCaptured',
  {
    capitalRequestId: string;
    paymentId: string;
    amount: string;
    currency: string;
    totalCaptured: string;
    commitment: number | null;
  }
>;

export type CapitalEvent = CapitalRequested | InvestmentCommitted | PaymentCaptured | CapitalWorkflowEvent;
