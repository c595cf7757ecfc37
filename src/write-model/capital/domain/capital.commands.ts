import type { Command } from '../../../shared/decider';
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

/** `paymentId` is the payment provider's id: a capture is applied at most once per paymentId. */
export type CapturePayment = Command<
  'CapturePayment',
  {
    capitalRequestId: string;
    paymentId: string;
    amount: string;
    currency: string;
  }
>;

export type CapitalCommand = RequestCapital | CommitInvestment | CapturePayment;
