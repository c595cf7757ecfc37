import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { badUserInput } from '../../app/graphql/api-error';
import { commandEnvelope, newAggregateId } from '../../app/cqrs/command-metadata';
import { InputReader } from '../../app/cqrs/input-reader';
import { scopeOf } from '../../app/graphql/request-scope';
import { CLOCK, type Clock } from '../../app/tokens';
import { capitalInstruments, type CapitalInstrument } from '../capital/domain/capital.events';
import type { CommandResult } from '../command-runner';
import { RegisterInvestorRequest } from './investor.handlers';

const stringList = (raw: unknown, name: string): string[] => {
  const list = (raw as Record<string, unknown>)[name];
  if (!Array.isArray(list) || !list.every((v): v is string => typeof v === 'string')) throw badUserInput(name, `${name} must be a list of strings`);
  return list;
};

@Resolver('Mutation')
export class InvestorResolver {
  constructor(
    @Inject(CommandBus) private readonly bus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Mutation('registerInvestor')
  async registerInvestor(@Args('input') raw: unknown, @Context() context: unknown): Promise<CommandResult> {
    const input = InputReader.of(raw);
    const envelope = commandEnvelope(scopeOf(context), input.string('commandId'), this.clock);
    const instruments = stringList(raw, 'instruments').map((value) => {
      const found = capitalInstruments.find((i) => i === value);
      if (found === undefined) throw badUserInput('instruments', `instruments must be among ${capitalInstruments.join(', ')}`);
      return found satisfies CapitalInstrument;
    });
    const data = {
      investorId: newAggregateId(envelope, 'investor', input.string('id')),
      name: input.requiredString('name'),
      sectors: stringList(raw, 'sectors'),
      countries: stringList(raw, 'countries'),
      instruments,
      currency: input.requiredString('currency'),
      minTicket: input.requiredString('minTicket'),
      maxTicket: input.requiredString('maxTicket'),
    };
    return this.bus.execute(new RegisterInvestorRequest(data, envelope.metadata));
  }
}
