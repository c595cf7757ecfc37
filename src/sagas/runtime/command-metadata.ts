import type { CommandContext } from '../../shared/decider';
import type { CommandMetadata } from '../../write-model/command-runner';
import { deriveCommandId, type DispatchContext } from './dispatch';

export const metadataOf = (context: DispatchContext, suffix?: string): CommandMetadata => ({
  commandId: suffix === undefined ? context.commandId : deriveCommandId(context.commandId, suffix),
  correlationId: context.correlationId,
  causationId: context.causationId,
  actor: context.actor,
  tenant: context.tenant,
  now: context.now,
});

export const contextOf = ({ now, actor, tenant }: DispatchContext): CommandContext => ({ now, actor, tenant });
