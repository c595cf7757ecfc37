import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { commandEnvelope, newAggregateId } from '../../app/cqrs/command-metadata';
import { InputReader } from '../../app/cqrs/input-reader';
import { scopeOf } from '../../app/graphql/request-scope';
import { CLOCK, type Clock } from '../../app/tokens';
import type { CommandResult } from '../command-runner';
import { capitalInstruments } from './domain/capital.events';
import { CapturePaymentRequest, CommitInvestmentRequest, RequestCapitalRequest } from './capital.handlers';

@Resolver('Mutation')
export class CapitalResolver {
  constructor(
    @Inject(CommandBus) private readonly bus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Mutation('requestCapital')
  async requestCapital(@Args('input') raw: unknown, @Context() context: unknown): Promise<CommandResult> {
    const input = InputReader.of(raw);
    const envelope = commandEnvelope(scopeOf(context), input.string('commandId'), this.clock);
    const data = {
      capitalRequestId: newAggregateId(envelope, 'capital', input.string('id')),
      ventureId: input.requiredString('ventureId'),
      amount: input.requiredString('amount'),
      currency: input.requiredString('currency'),
      instrument: input.requiredOneOf('instrument', capitalInstruments),
      purpose: input.requiredString('purpose'),
    };
    return this.bus.execute(new RequestCapitalRequest(data, envelope.metadata));
  }

  @Mutation('commitInvestment')
  async commitInvestment(@Args('input') raw: unknown, @Context() context: unknown): Promise<CommandResult> {
    const input = InputReader.of(raw);
    const envelope = commandEnvelope(scopeOf(context), input.string('commandId'), this.clock);
    const data = {
      capitalRequestId: input.requiredString('capitalRequestId'),
      investorId: input.requiredString('investorId'),
      amount: input.requiredString('amount'),
      currency: input.requiredString('currency'),
    };
    return this.bus.execute(new CommitInvestmentRequest(data, envelope.metadata));
  }

  @Mutation('capturePayment')
  async capturePayment(@Args('input') raw: unknown, @Context() context: unknown): Promise<CommandResult> {
    const input = InputReader.of(raw);
    const envelope = commandEnvelope(scopeOf(context), input.string('commandId'), this.clock);
    const data = {
      capitalRequestId: input.requiredString('capitalRequestId'),
      paymentId: input.requiredString('paymentId'),
      amount: input.requiredString('amount'),
      currency: input.requiredString('currency'),
    };
    return this.bus.execute(new CapturePaymentRequest(data, envelope.metadata));
  }
}
