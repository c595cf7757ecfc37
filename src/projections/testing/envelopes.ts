import type { AnyEnvelope } from '../runtime/projection';

let position = 0;

/** A stored event for unit tests: positions increase across calls; the rest has sensible defaults. */
export function envelope(
  type: string,
  data: Record<string, unknown>,
  at: { streamId: string; revision: number; tenant?: string; occurredAt?: string; actor?: string; schemaVersion?: number },
): AnyEnvelope {
  position += 1;
  return {
    eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    type,
    schemaVersion: at.schemaVersion ?? 1,
    streamId: at.streamId,
    revision: at.revision,
    position: String(position),
    occurredAt: at.occurredAt ?? `2026-05-01T10:00:${String(position % 60).padStart(2, '0')}.000Z`,
    data,
    metadata: { correlationId: 'c-1', causationId: 'c-1', actor: at.actor ?? 'user-1', tenant: at.tenant ?? 'tenant-a', commandId: `cmd-${position}` },
  };
}
