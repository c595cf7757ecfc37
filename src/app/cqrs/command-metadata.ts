import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { CommandMetadata } from '../../write-model/command-runner';
import { badUserInput } from '../graphql/api-error';
import type { RequestScope } from '../graphql/request-scope';
import type { Clock } from '../tokens';

const MAX_COMMAND_ID = 100;
/** Namespace of aggregate ids derived from (tenant, commandId) when the client chose none. */
const AGGREGATE_ID_NAMESPACE = '6f1f3c5e-0d7b-4b8e-9c1a-5e2d8b7a4c31';

export interface CommandEnvelope {
  readonly metadata: CommandMetadata;
  /** True when the client sent the commandId (a retry can then be recognised). */
  readonly clientCommandId: boolean;
}

/** commandId from the input or fresh; correlation from the request; actor and tenant from the token; now from the clock. */
export function commandEnvelope(scope: RequestScope, commandId: string | undefined, clock: Clock): CommandEnvelope {
  const principal = scope.principal();
  if (commandId !== undefined && (commandId.length === 0 || commandId.length > MAX_COMMAND_ID)) {
    throw badUserInput('commandId', `commandId must be 1-${MAX_COMMAND_ID} characters`);
  }
  const id = commandId ?? randomUUID();
  return {
    clientCommandId: commandId !== undefined,
    metadata: {
      commandId: id,
      correlationId: scope.commandCorrelationId(),
      causationId: id,
      actor: principal.sub,
      tenant: principal.tenant,
      now: clock.now().toISOString(),
      ...(founderOnly(principal.roles) && { onlyVenturesOf: principal.sub }),
    },
  };
}

/**
 * The id of a new aggregate: the client's, else derived from (tenant, commandId, kind) when the client sent a
 * commandId, so a retried command addresses the same aggregate; else fresh.
 */
export function newAggregateId(envelope: CommandEnvelope, kind: string, clientId: string | undefined): string {
  if (clientId !== undefined) return clientId;
  const { metadata } = envelope;
  return envelope.clientCommandId ? uuidv5(`${metadata.tenant}\n${metadata.commandId}\n${kind}`, AGGREGATE_ID_NAMESPACE) : randomUUID();
}

/** A founder sees to their own ventures; an admin (even one who is also a founder) to every venture of the tenant. */
const founderOnly = (roles: readonly string[]): boolean => roles.includes('founder') && !roles.includes('admin');
