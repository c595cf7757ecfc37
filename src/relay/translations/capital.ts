import type { Event } from '../../shared/decider';
import type { CapitalEvent } from '../../write-model/capital/domain/capital.events';
import { money, type InternalEvents, type TranslationsOf } from './translation';

const WORKFLOW = 'a step of the capital workflow inside this service; its public outcome is published instead';
const PROVIDER = 'a call to the payment provider (attempts, idempotency keys); only its outcome is published';

export const CAPITAL_INTERNAL = {
  CapitalReadinessConfirmed: WORKFLOW,
  CapitalReadinessAwaited: WORKFLOW,
  DueDiligenceStarted: WORKFLOW,
  PaymentCaptureRequested: PROVIDER,
  PaymentCaptureFailed: PROVIDER,
  DisbursementRequested: PROVIDER,
  DisbursementFailed: PROVIDER,
} as const satisfies InternalEvents;

/** The investor registry has no TypeScript event type of its own yet; this is its schema's shape (schemas/events). */
type InvestorRegistered = Event<
  'InvestorRegistered',
  {
    investorId: string;
    name: string;
    sectors: string[];
    countries: string[];
    instruments: string[];
    currency: string;
    minTicket: string;
    maxTicket: string;
  }
>;

export const CAPITAL_TRANSLATIONS: TranslationsOf<CapitalEvent | InvestorRegistered, keyof typeof CAPITAL_INTERNAL> = {
  CapitalRequested: {
    context: 'capital',
    type: 'capital.CapitalRequested',
    version: 1,
    translate: (d) => ({
      capitalRequestId: d.capitalRequestId,
      ventureId: d.ventureId,
      requested: money(d.amount, d.currency),
      instrument: d.instrument,
      purpose: d.purpose,
    }),
  },
  InvestmentCommitted: {
    context: 'capital',
    type: 'capital.InvestmentCommitted',
    version: 1,
    translate: (d) => ({
      capitalRequestId: d.capitalRequestId,
      investorId: d.investorId,
      committed: money(d.amount, d.currency),
      totalCommitted: money(d.totalCommitted, d.currency),
    }),
  },
  PaymentCaptured: {
    context: 'capital',
    type: 'capital.PaymentReceived',
    version: 1,
    translate: (d) => ({
      capitalRequestId: d.capitalRequestId,
      paymentId: d.paymentId,
      received: money(d.amount, d.currency),
      totalReceived: money(d.totalCaptured, d.currency),
    }),
  },
  DueDiligenceApproved: {
    context: 'capital',
    type: 'capital.DueDiligenceCompleted',
    version: 1,
    translate: (d) => ({ capitalRequestId: d.capitalRequestId, outcome: 'APPROVED' }),
  },
  DueDiligenceRejected: {
    context: 'capital',
    type: 'capital.DueDiligenceCompleted',
    version: 1,
    translate: (d) => ({ capitalRequestId: d.capitalRequestId, outcome: 'REJECTED' }),
  },
  CapitalProposed: {
    context: 'capital',
    type: 'capital.CapitalProposed',
    version: 1,
    translate: (d) => ({ capitalRequestId: d.capitalRequestId, round: d.round, investorIds: [...d.investorIds], commitmentDeadline: d.deadline }),
  },
  CommitmentReleased: {
    context: 'capital',
    type: 'capital.CommitmentReleased',
    version: 1,
    translate: (d) => ({
      capitalRequestId: d.capitalRequestId,
      investorId: d.investorId,
      released: money(d.amount, d.currency),
      totalCommitted: money(d.totalCommitted, d.currency),
      reason: d.reason,
    }),
  },
  FundsDisbursed: {
    context: 'capital',
    type: 'capital.FundsDisbursed',
    version: 1,
    translate: (d) => ({
      capitalRequestId: d.capitalRequestId,
      payoutId: d.payoutId,
      disbursed: money(d.amount, d.currency),
      totalDisbursed: money(d.totalDisbursed, d.currency),
    }),
  },
  PaymentRefunded: {
    context: 'capital',
    type: 'capital.PaymentRefunded',
    version: 1,
    translate: (d) => ({
      capitalRequestId: d.capitalRequestId,
      paymentId: d.paymentId,
      refundId: d.refundId,
      refunded: money(d.amount, d.currency),
      totalRefunded: money(d.totalRefunded, d.currency),
    }),
  },
  CapitalRequestExpired: {
    context: 'capital',
    type: 'capital.CapitalRequestExpired',
    version: 1,
    translate: (d) => ({ capitalRequestId: d.capitalRequestId, reason: d.reason }),
  },
  CapitalRequestCancelled: {
    context: 'capital',
    type: 'capital.CapitalRequestCancelled',
    version: 1,
    translate: (d) => ({ capitalRequestId: d.capitalRequestId, reason: d.reason }),
  },
  InvestorRegistered: {
    context: 'capital',
    type: 'capital.InvestorRegistered',
    version: 1,
    translate: (d) => ({
      investorId: d.investorId,
      name: d.name,
      sectors: [...d.sectors],
      countries: [...d.countries],
      instruments: [...d.instruments],
      ticket: { currency: d.currency, minimum: d.minTicket, maximum: d.maxTicket },
    }),
  },
};
