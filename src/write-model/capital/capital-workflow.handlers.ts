import { Inject } from '@nestjs/common';
import { Command as BusCommand, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, CommandResult } from '../command-runner';
import { CapitalCommands } from './capital.handlers';
import type { CapitalCommand } from './domain/capital.commands';

/**
 * Any capital command on the command bus: the workflow's mutations (due diligence, cancellation) and the commands the
 * payment webhooks turn provider events into. `CapitalCommands` validates it and checks the request's tenant.
 */
export class CapitalCommandRequest extends BusCommand<CommandResult> {
  constructor(
    readonly command: CapitalCommand,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(CapitalCommandRequest)
export class CapitalCommandHandler implements ICommandHandler<CapitalCommandRequest, CommandResult> {
  constructor(@Inject(CapitalCommands) private readonly commands: CapitalCommands) {}

  execute({ command, metadata }: CapitalCommandRequest): Promise<CommandResult> {
    return this.commands.run(command, metadata);
  }
}

export const capitalWorkflowHandlers = [CapitalCommandHandler];
