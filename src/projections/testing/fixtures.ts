import { randomUUID } from 'node:crypto';
import { expect as expectRevision, type EventStore, type NewEvent } from '../../write-model/event-store/event-store.port';

export function newEvent(type: string, data: Record<string, unknown>, tenant = 'tenant-a', schemaVersion = 1): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion,
    data,
    metadata: { commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(), actor: 'user-1', tenant },
  };
}

export const ventureCreated = (ventureId: string, name: string, tenant = 'tenant-a', extra: Record<string, unknown> = {}): NewEvent =>
  newEvent('VentureCreated', { ventureId, name, sector: 'Energy', country: 'KE', stage: 'SEED', description: `${name} description`, ...extra }, tenant);

/** Creates `count` ventures, one append each; returns their ids. */
export async function createVentures(store: EventStore, count: number, tenant = 'tenant-a', prefix = 'Venture'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    ids.push(id);
    await store.append(`venture-${id}`, [ventureCreated(id, `${prefix} ${i}`, tenant)], expectRevision.noStream);
  }
  return ids;
}

export async function renameVenture(store: EventStore, id: string, name: string, tenant = 'tenant-a'): Promise<string> {
  const result = await store.append(`venture-${id}`, [newEvent('VentureProfileUpdated', { ventureId: id, changes: { name } }, tenant)], expectRevision.any);
  return result.position;
}
