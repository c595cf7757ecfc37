import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredEvent } from '../../write-model/event-store/event-store.port';
import { SchemaRegistry, schemaRegistry } from './schema-registry';
import { SchemaValidationError } from './schema-validation-error';
import { findSchemasDir } from './schemas-dir';
import { UNKNOWN_UNIT, UPCASTERS } from './upcasters';

const registry = schemaRegistry();
const VENTURE = '3f1c2b9e-8a4d-4c6e-9f1a-2b3c4d5e6f70';

const stored = (type: string, schemaVersion: number, data: Record<string, unknown>): StoredEvent => ({
  eventId: '9d0c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a',
  type,
  schemaVersion,
  streamId: `gedsi-${VENTURE}`,
  revision: 4,
  position: '1042',
  occurredAt: '2021-03-31T12:00:00.000Z',
  data,
  metadata: { correlationId: 'c-1', causationId: 'c-1', actor: 'user-1', tenant: 'acme' },
});
const legacy = (metricId: string): StoredEvent =>
  stored('GEDSIMetricUpdated', 1, { ventureId: VENTURE, metricId, period: '2021-Q1', value: 40 });

function refusalOf(action: () => unknown): SchemaValidationError {
  try {
    action();
  } catch (error: unknown) {
    if (error instanceof SchemaValidationError) return error;
    throw error;
  }
  throw new Error('expected a SchemaValidationError');
}

describe('SchemaRegistry', () => {
  it('reports the newest version of each event type', () => {
    expect(registry.currentVersion('GEDSIMetricUpdated')).toBe(2);
    expect(registry.currentVersion('VentureCreated')).toBe(1);
    expect(registry.hasEvent('GEDSIMetricUpdated', 1)).toBe(true);
    expect(registry.hasEvent('GEDSIMetricUpdated', 3)).toBe(false);
    expect(registry.eventTypes()).toContain('CapitalRequested');
  });

  it('keeps both versions of GEDSIMetricUpdated readable', () => {
    expect(() => registry.validateEvent('GEDSIMetricUpdated', 1, legacy('women_board_pct').data)).not.toThrow();
    const current = { ventureId: VENTURE, metricId: 'women_board_pct', period: '2021-Q1', oldValue: 30, newValue: 40, unit: 'percent' };
    expect(() => registry.validateEvent('GEDSIMetricUpdated', 2, current)).not.toThrow();
  });

  it('upcasts a stored v1 GEDSIMetricUpdated into a valid v2 with the catalog unit and no old value', () => {
    const event = legacy('women_board_pct');
    const upcast = registry.upcast(event);
    expect(upcast).toEqual({
      ...event,
      schemaVersion: 2,
      data: { ventureId: VENTURE, metricId: 'women_board_pct', period: '2021-Q1', oldValue: null, newValue: 40, unit: 'percent' },
    });
    expect(() => registry.validateEvent('GEDSIMetricUpdated', 2, upcast.data)).not.toThrow();
    expect(event.schemaVersion).toBe(1);
    expect(event.data).toEqual({ ventureId: VENTURE, metricId: 'women_board_pct', period: '2021-Q1', value: 40 });
  });

  it('gives the unit `unknown` to a v1 metric that has left the catalog', () => {
    expect(registry.upcast(legacy('retired_metric')).data['unit']).toBe(UNKNOWN_UNIT);
  });

  it('passes an event already at the newest version through as the same object', () => {
    const current = stored('VentureStageChanged', 1, { ventureId: VENTURE, from: 'IDEA', to: 'SEED' });
    expect(registry.upcast(current)).toBe(current);
  });

  it('refuses to upcast a stored event whose data breaks its own version, naming that version', () => {
    const error = refusalOf(() => registry.upcast(stored('GEDSIMetricUpdated', 1, { ventureId: VENTURE, metricId: 'x', period: 'Q1' })));
    expect(error.message).toBe('GEDSIMetricUpdated v1: /value is required; /period must be a year (YYYY), a quarter (YYYY-Qn) or a half year (YYYY-Hn)');
  });

  it('refuses an unknown event type or version with a message naming it', () => {
    expect(refusalOf(() => registry.validateEvent('VentureDeleted', 1, {})).message).toBe('VentureDeleted v1: unknown event type');
    expect(refusalOf(() => registry.upcast(stored('VentureCreated', 7, {}))).message).toBe(
      'VentureCreated v7: unknown schema version',
    );
    expect(refusalOf(() => registry.currentVersion('Nope')).message).toBe('Nope: unknown event type');
  });

  it('validates integration events against their own versioned schemas, naming unknown types and versions', () => {
    const registered = { ventureId: VENTURE, name: 'Solar Sisters', sector: 'Energy', country: 'KE', stage: 'SEED', description: null };
    expect(registry.integrationEventTypes()).toContain('ventures.VentureRegistered');
    expect(registry.hasIntegrationEvent('ventures.VentureRegistered', 1)).toBe(true);
    expect(() => registry.validateIntegrationEvent('ventures.VentureRegistered', 1, registered)).not.toThrow();
    const internal = refusalOf(() => registry.validateIntegrationEvent('ventures.VentureRegistered', 1, { ...registered, normalizedName: 'x' }));
    expect(internal.message).toBe('ventures.VentureRegistered v1: /normalizedName is not an allowed property');
    expect(internal.kind).toBe('integration-event');
    expect(refusalOf(() => registry.validateIntegrationEvent('ventures.VentureRegistered', 9, registered)).message).toBe(
      'ventures.VentureRegistered v9: unknown schema version',
    );
    expect(refusalOf(() => registry.validateIntegrationEvent('VentureCreated', 1, registered)).message).toBe(
      'VentureCreated v1: unknown integration event type',
    );
  });

  describe('at construction', () => {
    it('refuses an event version without an upcaster to the next one', () => {
      expect(() => new SchemaRegistry({ upcasters: [] })).toThrow('GEDSIMetricUpdated: no upcaster from v1 to v2');
    });

    it('refuses an upcaster whose source or target schema does not exist', () => {
      const orphan = { type: 'VentureCreated', fromVersion: 1, upcast: (data: Readonly<Record<string, unknown>>) => ({ ...data }) };
      expect(() => new SchemaRegistry({ upcasters: [...UPCASTERS, orphan] })).toThrow(
        'upcaster VentureCreated v1 -> v2: both schema versions must exist',
      );
    });

    it('refuses two upcasters for the same version', () => {
      expect(() => new SchemaRegistry({ upcasters: [...UPCASTERS, ...UPCASTERS] })).toThrow('two upcasters for GEDSIMetricUpdated v1');
    });

    it('loads from an explicit folder and refuses a schema whose $id does not match its file name', () => {
      const dir = mkdtempSync(join(tmpdir(), 'schemas-'));
      try {
        cpSync(findSchemasDir(), dir, { recursive: true });
        expect(new SchemaRegistry({ dir }).currentVersion('GEDSIMetricUpdated')).toBe(2);
        cpSync(join(dir, 'events', 'VentureCreated.v1.schema.json'), join(dir, 'events', 'VentureOpened.v1.schema.json'));
        expect(() => new SchemaRegistry({ dir })).toThrow(/VentureOpened\.v1\.schema\.json: \$id must be .*VentureOpened\.v1\.json/);
        writeFileSync(join(dir, 'events', 'VentureOpened.v1.schema.json'), '{');
        expect(() => new SchemaRegistry({ dir })).toThrow(/cannot read JSON .*VentureOpened/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe('findSchemasDir', () => {
  it('finds the repository schemas from src/ and from the compiled dist/src/', () => {
    const root = join(findSchemasDir(), '..');
    expect(findSchemasDir(join(root, 'src', 'shared', 'schemas'))).toBe(join(root, 'schemas'));
    expect(findSchemasDir(join(root, 'dist', 'src', 'shared', 'schemas'))).toBe(join(root, 'schemas'));
  });

  it('says where it looked when there is no schemas folder above', () => {
    const dir = mkdtempSync(join(tmpdir(), 'no-schemas-'));
    try {
      expect(() => findSchemasDir(dir)).toThrow(`no schemas/common.schema.json found above ${dir}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
