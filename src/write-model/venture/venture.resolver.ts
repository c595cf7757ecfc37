import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { commandEnvelope, newAggregateId } from '../../app/cqrs/command-metadata';
import { compact, InputReader } from '../../app/cqrs/input-reader';
import { scopeOf } from '../../app/graphql/request-scope';
import { CLOCK, type Clock } from '../../app/tokens';
import type { CommandResult } from '../command-runner';
import { ventureStages } from './domain/venture.events';
import { CreateVentureRequest, UpdateVentureProfileRequest } from './venture.handlers';

@Resolver('Mutation')
export class VentureResolver {
  constructor(
    @Inject(CommandBus) private readonly bus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Mutation('createVenture')
  async createVenture(@Args('input') raw: unknown, @Context() context: unknown): Promise<CommandResult> {
    const input = InputReader.of(raw);
    const envelope = commandEnvelope(scopeOf(context), input.string('commandId'), this.clock);
    const data = compact({
      ventureId: newAggregateId(envelope, 'venture', input.string('id')),
      name: input.requiredString('name'),
      sector: input.requiredString('sector'),
      country: input.requiredString('country'),
      stage: input.requiredOneOf('stage', ventureStages),
      description: input.string('description'),
    });
    return this.bus.execute(new CreateVentureRequest(data, envelope.metadata));
  }

  @Mutation('updateVentureProfile')
  async updateVentureProfile(@Args('input') raw: unknown, @Context() context: unknown): Promise<CommandResult> {
    const input = InputReader.of(raw);
    const envelope = commandEnvelope(scopeOf(context), input.string('commandId'), this.clock);
    const data = compact({
      ventureId: input.requiredString('ventureId'),
      name: input.string('name'),
      sector: input.string('sector'),
      country: input.string('country'),
      stage: input.oneOf('stage', ventureStages),
      // An explicit null clears the description; an omitted one leaves it.
      description: input.nullableString('description'),
      expectedRevision: input.integer('expectedRevision'),
    });
    return this.bus.execute(new UpdateVentureProfileRequest(data, envelope.metadata));
  }
}
