import { badInput, conflict, DomainError } from '../../../shared/decider';
import { formatAmount, parseAmount } from '../../../shared/money';
import type { CapitalCommand, CapturePayment, CommitInvestment, RequestCapital } from './capital.commands';
import { decideWorkflow } from './capital-workflow.decide';
import {
  capitalInstruments,
  type CapitalEvent,
  type CapitalInstrument,
  type CapitalRequested,
  type InvestmentCommitted,
  type PaymentCaptured,
} from './capital.events';
import { commitmentOf, existing, money, nonEmptyId, notFinal, positiveAmount, sameCurrency } from './capital.rules';
import type { CapitalRequest, CapitalState } from './capital.state';

export const PURPOSE_MAX = 2000;

const instrument = (value: CapitalInstrument): CapitalInstrument => {
  if (!capitalInstruments.includes(value)) {
    throw badInput('instrument', `instrument must be one of ${capitalInstruments.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value;
};

const purpose = (value: string): string => {
  const text = typeof value === 'string' ? value.trim() : '';
  const size = Array.from(text).length;
  if (size < 1 || size > PURPOSE_MAX) {
    throw badInput('purpose', `purpose must be 1-${PURPOSE_MAX} characters after trimming, got ${size}`);
  }
  return text;
};

export const requestCapital = (command: RequestCapital, state: CapitalState): CapitalRequested[] => {
  const { data } = command;
  if (state.status !== 'NONE') throw conflict(`capital request ${data.capitalRequestId} already exists`);
  const amount = positiveAmount(data.amount, data.currency);
  return [
    {
      type: 'CapitalRequested',
      data: {
        capitalRequestId: data.capitalRequestId,
        ventureId: data.ventureId,
        amount: formatAmount(amount, data.currency),
        currency: data.currency,
        instrument: instrument(data.instrument),
        purpose: purpose(data.purpose),
      },
    },
  ];
};

/**
 * Commitments are taken while the request is proposed (from the proposed investors, before the window closes), or
 * before the workflow started (phase REQUESTED), as they were before the workflow existed.
 */
const openForCommitments = (request: CapitalRequest, investorId: string, now: string): void => {
  if (request.phase !== 'REQUESTED' && request.phase !== 'PROPOSED') {
    throw conflict(`capital request ${request.capitalRequestId} takes no commitments while ${request.status}`);
  }
  if (request.phase !== 'PROPOSED') return;
  if (!request.proposedInvestorIds.includes(investorId)) {
    throw new DomainError('FORBIDDEN', `investor ${investorId} was not proposed capital request ${request.capitalRequestId}`, 'investorId');
  }
  if (request.windowDeadline !== null && new Date(now).getTime() > new Date(request.windowDeadline).getTime()) {
    throw conflict(`the commitment window of capital request ${request.capitalRequestId} closed at ${request.windowDeadline}`);
  }
};

export const commitInvestment = (command: CommitInvestment, state: CapitalState): InvestmentCommitted[] => {
  const { data } = command;
  const request = existing(state, data.capitalRequestId);
  sameCurrency(request, data.currency);
  const investorId = nonEmptyId(data.investorId, 'investorId');
  openForCommitments(request, investorId, command.context.now);
  const amount = positiveAmount(data.amount, request.currency);
  const left = request.requested - request.committed;
  if (amount > left) {
    throw badInput('amount', `amount ${money(amount, request.currency)} exceeds what is left to commit: ${money(left, request.currency)}`);
  }
  return [
    {
      type: 'InvestmentCommitted',
      data: {
        capitalRequestId: request.capitalRequestId,
        investorId,
        amount: formatAmount(amount, request.currency),
        currency: request.currency,
        totalCommitted: formatAmount(request.committed + amount, request.currency),
      },
    },
  ];
};

const captured = (request: CapitalRequest, paymentId: string, amount: bigint, commitment: number | null): PaymentCaptured => ({
  type: 'PaymentCaptured',
  data: {
    capitalRequestId: request.capitalRequestId,
    paymentId,
    amount: formatAmount(amount, request.currency),
    currency: request.currency,
    totalCaptured: formatAmount(request.captured + amount, request.currency),
    commitment,
  },
});

/** A capture by hand: only until the workflow asked the provider for a capture (the two never capture the same money). */
const captureByHand = (request: CapitalRequest, paymentId: string, amount: bigint): PaymentCaptured[] => {
  notFinal(request);
  if (request.commitments.some((c) => c.capture !== 'NONE')) {
    throw conflict(`the payments of capital request ${request.capitalRequestId} are captured by the payment provider`);
  }
  const capturable = request.committed - request.captured;
  if (amount > capturable) {
    throw badInput(
      'amount',
      `amount ${money(amount, request.currency)} exceeds what is committed and not yet captured: ${money(capturable, request.currency)}`,
    );
  }
  return [captured(request, paymentId, amount, null)];
};

/** What the provider captured for a commitment is recorded whatever the request's phase: the money has moved. */
const captureOfCommitment = (request: CapitalRequest, paymentId: string, amount: bigint, number: number): PaymentCaptured[] => {
  const commitment = commitmentOf(request, number);
  if (commitment.capture === 'CAPTURED') {
    throw conflict(`commitment ${number} was already captured by payment ${commitment.paymentId ?? ''}`);
  }
  if (amount !== commitment.amount) {
    throw badInput('amount', `amount ${money(amount, request.currency)} is not the amount of commitment ${number}: ${money(commitment.amount, request.currency)}`);
  }
  return [captured(request, paymentId, amount, number)];
};

export const capturePayment = (command: CapturePayment, state: CapitalState): PaymentCaptured[] => {
  const { data } = command;
  const request = existing(state, data.capitalRequestId);
  const paymentId = nonEmptyId(data.paymentId, 'paymentId');
  const amount = parseAmount(data.amount, data.currency);

  const previous = request.payments.get(paymentId);
  if (previous !== undefined) {
    if (data.currency === request.currency && amount === previous.amount && (data.commitment ?? null) === previous.commitment) return [];
    throw conflict(`payment ${paymentId} was already captured with ${money(previous.amount, request.currency)}`);
  }

  sameCurrency(request, data.currency);
  const positive = positiveAmount(data.amount, request.currency);
  return data.commitment === undefined ? captureByHand(request, paymentId, positive) : captureOfCommitment(request, paymentId, positive, data.commitment);
};

export const decide = (command: CapitalCommand, state: CapitalState): CapitalEvent[] => {
  if (command.type === 'RequestCapital') return requestCapital(command, state);
  if (command.type === 'CommitInvestment') return commitInvestment(command, state);
  if (command.type === 'CapturePayment') return capturePayment(command, state);
  return decideWorkflow(command, state);
};
