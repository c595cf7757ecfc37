import { Inject } from '@nestjs/common';
import { Command as BusCommand, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { inInputTerms, validateCommandData } from '../../app/cqrs/input-fields';
import { SchemaRegistry } from '../../shared/schemas/schema-registry';
import { CommandRunner, type CommandMetadata, type CommandResult } from '../command-runner';
import type { RegisterInvestor } from './domain/investor.commands';
import { investorDecider, streamId } from './domain/investor.decider';

/** RegisterInvestorInput names the investor id `id`. */
const FIELDS = { investorId: 'id' } as const;

export class RegisterInvestorRequest extends BusCommand<CommandResult> {
  constructor(
    readonly data: RegisterInvestor['data'],
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

/** One investor per stream (`investor-<id>`); the capital saga's directory matches proposals from these events. */
@CommandHandler(RegisterInvestorRequest)
export class RegisterInvestorHandler implements ICommandHandler<RegisterInvestorRequest, CommandResult> {
  constructor(
    @Inject(CommandRunner) private readonly runner: CommandRunner,
    @Inject(SchemaRegistry) private readonly schemas: SchemaRegistry,
  ) {}

  execute({ data, metadata }: RegisterInvestorRequest): Promise<CommandResult> {
    return inInputTerms(FIELDS, async () => {
      validateCommandData(this.schemas, 'RegisterInvestor', data, FIELDS);
      const { now, actor, tenant } = metadata;
      return this.runner.run({
        decider: investorDecider,
        streamId: streamId(data.investorId),
        aggregateId: data.investorId,
        command: { type: 'RegisterInvestor', data, context: { now, actor, tenant } },
        metadata,
      });
    });
  }
}

export const investorHandlers = [RegisterInvestorHandler];
