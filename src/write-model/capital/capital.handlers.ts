import { Inject, Injectable } from '@nestjs/common';
import { Command as BusCommand, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { inInputTerms, validateCommandData } from '../../app/cqrs/input-fields';
import { assertStreamInTenant, assertVentureOwner } from '../../app/cqrs/tenant-streams';
import { EVENT_STORE } from '../../app/tokens';
import { SchemaRegistry } from '../../shared/schemas/schema-registry';
import { CommandRunner, type CommandMetadata, type CommandResult } from '../command-runner';
import type { EventStore, StoredEvent } from '../event-store/event-store.port';
import { streamId as ventureStreamId } from '../venture/domain/venture.decider';
import type { CapitalCommand, CapturePayment, CommitInvestment, RequestCapital } from './domain/capital.commands';
import { capitalDecider, streamId as capitalStreamId } from './domain/capital.decider';

/** RequestCapitalInput names the capital request id `id`. */
const REQUEST_FIELDS = { capitalRequestId: 'id' } as const;

export class RequestCapitalRequest extends BusCommand<CommandResult> {
  constructor(readonly data: RequestCapital['data'], readonly metadata: CommandMetadata) {
    super();
  }
}

export class CommitInvestmentRequest extends BusCommand<CommandResult> {
  constructor(readonly data: CommitInvestment['data'], readonly metadata: CommandMetadata) {
    super();
  }
}

export class CapturePaymentRequest extends BusCommand<CommandResult> {
  constructor(readonly data: CapturePayment['data'], readonly metadata: CommandMetadata) {
    super();
  }
}

/**
 * One capital request per stream. A new request needs the venture in the caller's tenant; later commands need
 * the request there (the tenant of its first event), else NOT_FOUND.
 */
@Injectable()
export class CapitalCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CommandRunner) private readonly runner: CommandRunner,
    @Inject(SchemaRegistry) private readonly schemas: SchemaRegistry,
  ) {}

  async run(command: CapitalCommand, metadata: CommandMetadata): Promise<CommandResult> {
    validateCommandData(this.schemas, command.type, command.data);
    const { capitalRequestId } = command.data;
    if (command.type === 'RequestCapital') {
      const { ventureId } = command.data;
      const created = await assertStreamInTenant(this.store, ventureStreamId(ventureId), metadata.tenant, { message: `venture ${ventureId} not found`, field: 'ventureId' });
      await assertVentureOwner(this.store, ventureId, metadata.onlyVenturesOf, created);
    } else {
      const requested = await assertStreamInTenant(this.store, capitalStreamId(capitalRequestId), metadata.tenant, {
        message: `capital request ${capitalRequestId} not found`,
        field: 'capitalRequestId',
      });
      // A founder cancels only the requests of their own ventures; the other commands are investors', operators' and analysts'.
      if (command.type === 'CancelCapitalRequest') await assertVentureOwner(this.store, ventureOf(requested), metadata.onlyVenturesOf);
    }
    return this.runner.run({ decider: capitalDecider, streamId: capitalStreamId(capitalRequestId), aggregateId: capitalRequestId, command, metadata });
  }
}

const contextOf = ({ now, actor, tenant }: CommandMetadata) => ({ now, actor, tenant });

@CommandHandler(RequestCapitalRequest)
export class RequestCapitalHandler implements ICommandHandler<RequestCapitalRequest, CommandResult> {
  constructor(@Inject(CapitalCommands) private readonly commands: CapitalCommands) {}

  execute({ data, metadata }: RequestCapitalRequest): Promise<CommandResult> {
    return inInputTerms(REQUEST_FIELDS, () => this.commands.run({ type: 'RequestCapital', data, context: contextOf(metadata) }, metadata));
  }
}

@CommandHandler(CommitInvestmentRequest)
export class CommitInvestmentHandler implements ICommandHandler<CommitInvestmentRequest, CommandResult> {
  constructor(@Inject(CapitalCommands) private readonly commands: CapitalCommands) {}

  execute({ data, metadata }: CommitInvestmentRequest): Promise<CommandResult> {
    return this.commands.run({ type: 'CommitInvestment', data, context: contextOf(metadata) }, metadata);
  }
}

@CommandHandler(CapturePaymentRequest)
export class CapturePaymentHandler implements ICommandHandler<CapturePaymentRequest, CommandResult> {
  constructor(@Inject(CapitalCommands) private readonly commands: CapitalCommands) {}

  execute({ data, metadata }: CapturePaymentRequest): Promise<CommandResult> {
    return this.commands.run({ type: 'CapturePayment', data, context: contextOf(metadata) }, metadata);
  }
}

export const capitalHandlers = [CapitalCommands, RequestCapitalHandler, CommitInvestmentHandler, CapturePaymentHandler];

/** The venture of a capital request, from the request's first event (CapitalRequested). */
function ventureOf(requested: StoredEvent): string {
  const { ventureId } = requested.data as { ventureId?: unknown };
  if (typeof ventureId !== 'string') throw new Error(`capital request stream ${requested.streamId} does not start with a venture id`);
  return ventureId;
}
