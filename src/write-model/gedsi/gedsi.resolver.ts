import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { commandEnvelope } from '../../app/cqrs/command-metadata';
import { compact, InputReader } from '../../app/cqrs/input-reader';
import { scopeOf } from '../../app/graphql/request-scope';
import { CLOCK, type Clock } from '../../app/tokens';
import type { CommandResult } from '../command-runner';
import { RecordGEDSIMetricRequest, VerifyGEDSIMetricRequest } from './gedsi.handlers';

@Resolver('Mutation')
export class GEDSIResolver {
  constructor(
    @Inject(CommandBus) private readonly bus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Mutation('recordGEDSIMetric')
  async recordGEDSIMetric(@Args('input') raw: unknown, @Context() context: unknown): Promise<CommandResult> {
    const input = InputReader.of(raw);
    const envelope = commandEnvelope(scopeOf(context), input.string('commandId'), this.clock);
    const data = compact({
      ventureId: input.requiredString('ventureId'),
      metricId: input.requiredString('metricId'),
      value: input.requiredNumber('value'),
      period: input.requiredString('period'),
      expectedRevision: input.integer('expectedRevision'),
    });
    return this.bus.execute(new RecordGEDSIMetricRequest(data, envelope.metadata));
  }

  @Mutation('verifyGEDSIMetric')
  async verifyGEDSIMetric(@Args('input') raw: unknown, @Context() context: unknown): Promise<CommandResult> {
    const input = InputReader.of(raw);
    const envelope = commandEnvelope(scopeOf(context), input.string('commandId'), this.clock);
    const data = {
      ventureId: input.requiredString('ventureId'),
      metricId: input.requiredString('metricId'),
      period: input.requiredString('period'),
    };
    return this.bus.execute(new VerifyGEDSIMetricRequest(data, envelope.metadata));
  }
}
