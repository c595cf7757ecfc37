import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { commandEnvelope } from '../../app/cqrs/command-metadata';
import { compact, InputReader } from '../../app/cqrs/input-reader';
import { scopeOf } from '../../app/graphql/request-scope';
import { CLOCK, type Clock } from '../../app/tokens';
import type { CommandResult } from '../command-runner';
import { CapitalCommandRequest } from './capital-workflow.handlers';
import type { CapitalCommand } from './domain/capital.commands';

type Build = (input: InputReader) => CapitalCommand['data'];

/** The capital workflow's mutations: an analyst's due diligence decision, a cancellation. */
@Resolver('Mutation')
export class CapitalWorkflowResolver {
  constructor(
    @Inject(CommandBus) private readonly bus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Mutation('approveDueDiligence')
  approveDueDiligence(@Args('input') raw: unknown, @Context() context: unknown): Promise<CommandResult> {
    return send(this.bus, this.clock, 'ApproveDueDiligence', raw, context, (input) =>
      compact({ capitalRequestId: input.requiredString('capitalRequestId'), note: input.string('note') }),
    );
  }

  @Mutation('rejectDueDiligence')
  rejectDueDiligence(@Args('input') raw: unknown, @Context() context: unknown): Promise<CommandResult> {
    return send(this.bus, this.clock, 'RejectDueDiligence', raw, context, (input) => ({ capitalRequestId: input.requiredString('capitalRequestId'), reason: input.requiredString('reason') }));
  }

  @Mutation('cancelCapitalRequest')
  cancelCapitalRequest(@Args('input') raw: unknown, @Context() context: unknown): Promise<CommandResult> {
    return send(this.bus, this.clock, 'CancelCapitalRequest', raw, context, (input) => ({ capitalRequestId: input.requiredString('capitalRequestId'), reason: input.requiredString('reason') }));
  }
}

/** Resolver classes expose every method as a field: the shared plumbing lives outside. */
async function send(bus: CommandBus, clock: Clock, type: CapitalCommand['type'], raw: unknown, context: unknown, build: Build): Promise<CommandResult> {
  const input = InputReader.of(raw);
  const { metadata } = commandEnvelope(scopeOf(context), input.string('commandId'), clock);
  const command = { type, data: build(input), context: { now: metadata.now, actor: metadata.actor, tenant: metadata.tenant } } as CapitalCommand;
  return bus.execute(new CapitalCommandRequest(command, metadata));
}
