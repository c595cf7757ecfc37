import type { AllStreamResolvedEvent, Position, ResolvedEvent } from '@eventstore/db-client';
import type { EventMetadata, StoredEvent } from '../event-store.port';

/**
 * Positions are EventStoreDB's own (commit, prepare) pair, written as two zero-padded decimals so that the
 * string order is the log order too. Our envelope fields that EventStoreDB has no slot for (schema version,
 * the writer's occurredAt) travel in the event metadata under `$`-free reserved keys and are stripped on read.
 */
export function encodePosition(position: Position): string {
  return `${position.commit.toString().padStart(20, '0')}-${position.prepare.toString().padStart(20, '0')}`;
}

export function decodePosition(position: string): Position {
  const match = /^([0-9]{1,20})-([0-9]{1,20})$/.exec(position);
  if (!match?.[1] || !match[2]) throw new Error(`invalid EventStoreDB position ${JSON.stringify(position)}`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

export const SCHEMA_VERSION_KEY = 'schemaVersion_';
export const OCCURRED_AT_KEY = 'occurredAt_';

export function toStoredEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent | undefined {
  const e = resolved.event;
  if (!e || !e.isJson || e.type.startsWith('$') || e.streamId.startsWith('$')) return undefined;
  const raw = (e.metadata ?? {}) as Record<string, unknown>;
  const { [SCHEMA_VERSION_KEY]: schemaVersion, [OCCURRED_AT_KEY]: occurredAt, ...metadata } = raw;
  return {
    eventId: e.id,
    type: e.type,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    streamId: e.streamId,
    revision: Number(e.revision),
    position: e.position ? encodePosition(e.position) : '',
    occurredAt: typeof occurredAt === 'string' ? occurredAt : e.created.toISOString(),
    data: e.data as Record<string, unknown>,
    metadata: metadata as unknown as EventMetadata,
  };
}
