import type { Command } from '../../../shared/decider';
import type { CapitalWorkflowCommand } from './capital-workflow.commands';
import type { CapitalInstrument } from './capital.events';

/** `amount` is a decimal string in `currency` ("1500.50"); it is parsed into minor units, never into a float. */
export type RequestCapital = Command<
  'RequestCapital',
  {
    capitalRequestId: string;
    ventureId: string;
    amount: string;
    currency: string;
    instrument: CapitalInstrument;
    purpose: string;
  }
>;

export type CommitInvestment = Command<
  'CommitInvestment',
  {
    capitalRequestId: string;
    investorId: string;
    amount: string;
    currency: string;
  }
>;

/**
 * `paymentId` is the payment provider's id: a capture is applied at most once per paymentId. `commitment` names the
 * commitment the provider captured (the workflow's captures); without it the capture is one made by hand.
 */
export type CapturePayment = Command<
  'CapturePayment',
  {
    capitalRequestId: string;
    paymentId: string;
    amount: string;
    currency: string;
    commitment?: number;
  }
>;

export type CapitalCommand = RequestCapital | CommitInvestment | CapturePayment | CapitalWorkflowCommand;
