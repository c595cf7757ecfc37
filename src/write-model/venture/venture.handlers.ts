import { Inject } from '@nestjs/common';
import { Command as BusCommand, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { inInputTerms, validateCommandData } from '../../app/cqrs/input-fields';
import { VentureWrites } from '../../app/cqrs/venture-writes';
import { SchemaRegistry } from '../../shared/schemas/schema-registry';
import type { CommandMetadata, CommandResult } from '../command-runner';
import type { CreateVenture, UpdateVentureProfile } from './domain/venture.commands';

/** CreateVentureInput names the venture id `id`. */
const CREATE_FIELDS = { ventureId: 'id' } as const;

export class CreateVentureRequest extends BusCommand<CommandResult> {
  constructor(
    readonly data: CreateVenture['data'],
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

export class UpdateVentureProfileRequest extends BusCommand<CommandResult> {
  constructor(
    readonly data: UpdateVentureProfile['data'],
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

const contextOf = ({ now, actor, tenant }: CommandMetadata) => ({ now, actor, tenant });

@CommandHandler(CreateVentureRequest)
export class CreateVentureHandler implements ICommandHandler<CreateVentureRequest, CommandResult> {
  constructor(
    @Inject(SchemaRegistry) private readonly schemas: SchemaRegistry,
    @Inject(VentureWrites) private readonly ventures: VentureWrites,
  ) {}

  execute({ data, metadata }: CreateVentureRequest): Promise<CommandResult> {
    return inInputTerms(CREATE_FIELDS, async () => {
      validateCommandData(this.schemas, 'CreateVenture', data);
      return this.ventures.run({ type: 'CreateVenture', data, context: contextOf(metadata) }, metadata);
    });
  }
}

@CommandHandler(UpdateVentureProfileRequest)
export class UpdateVentureProfileHandler implements ICommandHandler<UpdateVentureProfileRequest, CommandResult> {
  constructor(
    @Inject(SchemaRegistry) private readonly schemas: SchemaRegistry,
    @Inject(VentureWrites) private readonly ventures: VentureWrites,
  ) {}

  async execute({ data, metadata }: UpdateVentureProfileRequest): Promise<CommandResult> {
    validateCommandData(this.schemas, 'UpdateVentureProfile', data);
    return this.ventures.run({ type: 'UpdateVentureProfile', data, context: contextOf(metadata) }, metadata, data.expectedRevision);
  }
}

export const ventureHandlers = [CreateVentureHandler, UpdateVentureProfileHandler];
