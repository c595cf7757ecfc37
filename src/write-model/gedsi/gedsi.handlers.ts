import { Inject, Injectable } from '@nestjs/common';
import { Command as BusCommand, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { validateCommandData } from '../../app/cqrs/input-fields';
import { assertStreamInTenant, assertVentureOwner } from '../../app/cqrs/tenant-streams';
import { EVENT_STORE } from '../../app/tokens';
import { SchemaRegistry } from '../../shared/schemas/schema-registry';
import { CommandRunner, type CommandMetadata, type CommandResult } from '../command-runner';
import type { EventStore } from '../event-store/event-store.port';
import { streamId as ventureStreamId } from '../venture/domain/venture.decider';
import type { GEDSICommand, RecordGEDSIMetric, VerifyGEDSIMetric } from './domain/gedsi.commands';
import { gedsiDecider, streamId as gedsiStreamId } from './domain/gedsi.decider';

export class RecordGEDSIMetricRequest extends BusCommand<CommandResult> {
  constructor(
    readonly data: RecordGEDSIMetric['data'],
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

export class VerifyGEDSIMetricRequest extends BusCommand<CommandResult> {
  constructor(
    readonly data: VerifyGEDSIMetric['data'],
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

/** Metrics of one venture live in `gedsi-<ventureId>`; the venture must exist in the caller's tenant. */
@Injectable()
export class GEDSICommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CommandRunner) private readonly runner: CommandRunner,
    @Inject(SchemaRegistry) private readonly schemas: SchemaRegistry,
  ) {}

  async run(command: GEDSICommand, metadata: CommandMetadata, expectedRevision?: number): Promise<CommandResult> {
    validateCommandData(this.schemas, command.type, command.data);
    const { ventureId } = command.data;
    const created = await assertStreamInTenant(this.store, ventureStreamId(ventureId), metadata.tenant, {
      message: `venture ${ventureId} not found`,
      field: 'ventureId',
    });
    // Reporting a venture's metrics is its founder's; verifying them is an analyst's, on any venture.
    if (command.type === 'RecordGEDSIMetric') await assertVentureOwner(this.store, ventureId, metadata.onlyVenturesOf, created);
    return this.runner.run({
      decider: gedsiDecider,
      streamId: gedsiStreamId(ventureId),
      aggregateId: ventureId,
      command,
      metadata,
      ...(expectedRevision !== undefined && { expectedRevision }),
    });
  }
}

const contextOf = ({ now, actor, tenant }: CommandMetadata) => ({ now, actor, tenant });

@CommandHandler(RecordGEDSIMetricRequest)
export class RecordGEDSIMetricHandler implements ICommandHandler<RecordGEDSIMetricRequest, CommandResult> {
  constructor(@Inject(GEDSICommands) private readonly commands: GEDSICommands) {}

  execute({ data, metadata }: RecordGEDSIMetricRequest): Promise<CommandResult> {
    return this.commands.run({ type: 'RecordGEDSIMetric', data, context: contextOf(metadata) }, metadata, data.expectedRevision);
  }
}

@CommandHandler(VerifyGEDSIMetricRequest)
export class VerifyGEDSIMetricHandler implements ICommandHandler<VerifyGEDSIMetricRequest, CommandResult> {
  constructor(@Inject(GEDSICommands) private readonly commands: GEDSICommands) {}

  execute({ data, metadata }: VerifyGEDSIMetricRequest): Promise<CommandResult> {
    return this.commands.run({ type: 'VerifyGEDSIMetric', data, context: contextOf(metadata) }, metadata);
  }
}

export const gedsiHandlers = [GEDSICommands, RecordGEDSIMetricHandler, VerifyGEDSIMetricHandler];
