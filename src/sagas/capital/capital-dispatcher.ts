import type { Pool } from 'pg';
import type { Logger } from '../../infra/logger';
import { loadAggregate } from '../../app/cqrs/load-aggregate';
import { parseAmount } from '../../shared/money';
import type { CapitalCommand } from '../../write-model/capital/domain/capital.commands';
import { capitalDecider, streamId as capitalStreamId } from '../../write-model/capital/domain/capital.decider';
import type { CommandRunner } from '../../write-model/command-runner';
import type { EventStore } from '../../write-model/event-store/event-store.port';
import { gedsiDecider, streamId as gedsiStreamId } from '../../write-model/gedsi/domain/gedsi.decider';
import { streamId as ventureStreamId, ventureDecider } from '../../write-model/venture/domain/venture.decider';
import { contextOf, metadataOf } from '../runtime/command-metadata';
import { RetryLater, type DispatchContext, type SagaDispatcher } from '../runtime/dispatch';
import { faultPoint } from '../runtime/faults';
import type { SagaCommand } from '../runtime/saga';
import { capitalSagaCommandTypes, type CapitalSagaCommand } from './capital.commands';
import { matchInvestors } from './investor-directory';
import { ProviderUnavailable, type PaymentMetadata, type PaymentProvider, type ProviderAnswer } from './payment-provider.port';

export interface CapitalDispatcherDeps {
  /** The validating store (events as the deciders' types). */
  readonly store: EventStore;
  readonly runner: CommandRunner;
  readonly provider: PaymentProvider;
  readonly pool: Pool;
  readonly logger: Logger;
}

const isCapitalSagaCommand = (command: SagaCommand): command is CapitalSagaCommand => (capitalSagaCommandTypes as readonly string[]).includes(command.type);

/**
 * Carries out the capital saga's commands. Capital commands go through the command runner (idempotent by command id);
 * the inputs a decision needs from elsewhere (the venture's verified metrics, the matched investors) are read here.
 * Provider effects pass the business idempotency key to the provider; a timeout becomes `RetryLater` (the same key is
 * asked again), a synchronous decline becomes the same failure command the webhook would have sent.
 */
export class CapitalDispatcher implements SagaDispatcher {
  constructor(private readonly deps: CapitalDispatcherDeps) {}

  async dispatch(command: SagaCommand, context: DispatchContext): Promise<void> {
    if (!isCapitalSagaCommand(command)) throw new Error(`the capital saga cannot dispatch ${command.type}`);
    const c = command;
    switch (c.type) {
      case 'CheckCapitalReadiness': {
        const { capitalRequestId, deadline, ventureId } = c.data;
        const verifiedMetricIds = await this.verifiedMetrics(ventureId);
        return this.run({ type: 'CheckCapitalReadiness', data: { capitalRequestId, deadline, verifiedMetricIds }, context: contextOf(context) }, context);
      }
      case 'ProposeCapital': {
        const { capitalRequestId, round, deadline, ventureId, instrument, currency, amount } = c.data;
        const venture = await loadAggregate(this.deps.store, ventureDecider, ventureStreamId(ventureId));
        const profile = venture.state.status === 'CREATED' ? venture.state.profile : undefined;
        const investorIds =
          profile === undefined ? [] : await matchInvestors(this.deps.pool, context.tenant, { sector: profile.sector, country: profile.country, instrument, currency, amount: parseAmount(amount, currency) });
        return this.run({ type: 'ProposeCapital', data: { capitalRequestId, round, deadline, investorIds }, context: contextOf(context) }, context);
      }
      case 'CaptureAtProvider': {
        const { capitalRequestId, commitment, attempt, investorId, amount, currency, idempotencyKey } = c.data;
        const metadata = this.paymentMetadata(context, capitalRequestId, { commitment: String(commitment), attempt: String(attempt) });
        const answer = await this.call('capture', () => this.deps.provider.capture({ idempotencyKey, amount, currency, payer: investorId, metadata }));
        if (answer.status === 'declined') {
          await this.run({ type: 'RecordPaymentCaptureFailure', data: { capitalRequestId, commitment, attempt, reason: answer.reason }, context: contextOf(context) }, context, 'declined');
        }
        return;
      }
      case 'DisburseAtProvider': {
        const { capitalRequestId, ventureId, amount, currency, idempotencyKey } = c.data;
        const metadata = this.paymentMetadata(context, capitalRequestId, {});
        const answer = await this.call('disburse', () => this.deps.provider.disburse({ idempotencyKey, amount, currency, payee: ventureId, metadata }));
        if (answer.status === 'declined') {
          await this.run({ type: 'RecordDisbursementFailure', data: { capitalRequestId, idempotencyKey, reason: answer.reason }, context: contextOf(context) }, context, 'declined');
        }
        return;
      }
      case 'RefundAtProvider': {
        const { capitalRequestId, paymentId, amount, currency, idempotencyKey } = c.data;
        const metadata = this.paymentMetadata(context, capitalRequestId, { paymentId });
        const answer = await this.call('refund', () => this.deps.provider.refund({ idempotencyKey, paymentId, amount, currency, metadata }));
        if (answer.status === 'declined') this.deps.logger.error({ capitalRequestId, paymentId, reason: answer.reason, correlationId: context.correlationId }, 'refund declined by the provider');
        return;
      }
      case 'StartDueDiligence':
      case 'ExpireCapitalRequest':
      case 'CancelCapitalRequest':
      case 'RequestPaymentCapture':
      case 'ReleaseCommitment':
      case 'RequestDisbursement':
        return this.run({ ...c, context: contextOf(context) }, context);
      default: {
        const _exhaustive: never = c;
        throw new Error(`unknown capital saga command ${JSON.stringify(_exhaustive)}`);
      }
    }
  }

  private async run(command: CapitalCommand, context: DispatchContext, suffix?: string): Promise<void> {
    const { capitalRequestId } = command.data;
    await this.deps.runner.run({ decider: capitalDecider, streamId: capitalStreamId(capitalRequestId), aggregateId: capitalRequestId, command, metadata: metadataOf(context, suffix) });
  }

  private async call(op: 'capture' | 'disburse' | 'refund', work: () => Promise<ProviderAnswer>): Promise<ProviderAnswer> {
    try {
      const answer = await work();
      faultPoint(`provider:${op}`);
      return answer;
    } catch (error: unknown) {
      if (error instanceof ProviderUnavailable) throw new RetryLater(error.message);
      throw error;
    }
  }

  private paymentMetadata(context: DispatchContext, capitalRequestId: string, extra: Partial<PaymentMetadata>): PaymentMetadata {
    return { tenant: context.tenant, capitalRequestId, correlationId: context.correlationId, ...extra };
  }

  /** The metrics that have a verified value in some period. */
  private async verifiedMetrics(ventureId: string): Promise<string[]> {
    const { state } = await loadAggregate(this.deps.store, gedsiDecider, gedsiStreamId(ventureId));
    const ids = [...state.metrics.entries()].filter(([, m]) => m.verified).map(([key]) => key.slice(0, key.indexOf('@')));
    return [...new Set(ids)].sort();
  }
}
