import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { StoredEvent } from '../../write-model/event-store/event-store.port';
import { findMetric } from '../gedsi-catalog';
import { SchemaValidationError, issuesFromAjv } from './schema-validation-error';
import { createSchemaAjv, findSchemasDir, readJsonFile } from './schemas-dir';
import { UPCASTERS, type UpcastContext, type Upcaster } from './upcasters';

export interface SchemaRegistryOptions {
  /** The `schemas/` folder; found by walking up from this file when omitted. */
  readonly dir?: string;
  readonly upcasters?: readonly Upcaster[];
  readonly upcastContext?: UpcastContext;
}

const ID_BASE = 'https://schemas.gedsi.example';
const EVENT_FILE = /^([A-Z][A-Za-z0-9]*)\.v([1-9][0-9]*)\.schema\.json$/;
const COMMAND_FILE = /^([A-Z][A-Za-z0-9]*)\.schema\.json$/;
/** Integration events carry their context: `ventures.VentureRegistered.v1.schema.json`. */
const INTEGRATION_FILE = /^([a-z][a-z0-9]*\.[A-Z][A-Za-z0-9]*)\.v([1-9][0-9]*)\.schema\.json$/;

/**
 * The JSON Schemas of `schemas/` (the single source of truth of event and command shapes), compiled once,
 * and the upcasters that make every stored version of an event readable as its newest version.
 */
export class SchemaRegistry {
  private readonly events = new Map<string, Map<number, ValidateFunction>>();
  private readonly commands = new Map<string, ValidateFunction>();
  private readonly integrationEvents = new Map<string, Map<number, ValidateFunction>>();
  private readonly upcasters = new Map<string, Upcaster>();
  private readonly upcastContext: UpcastContext;

  constructor(options: SchemaRegistryOptions = {}) {
    const dir = options.dir ?? findSchemasDir();
    const ajv = createSchemaAjv(dir);
    const compile = (file: string, id: string): ValidateFunction => {
      const schema = readJsonFile(file);
      const declared = typeof schema === 'object' && schema !== null ? (schema as Record<string, unknown>)['$id'] : undefined;
      if (declared !== id) throw new Error(`${file}: $id must be ${id}, found ${String(declared)}`);
      return ajv.compile(schema as object);
    };
    for (const file of readdirSync(join(dir, 'events')).sort()) {
      const [, type, version] = EVENT_FILE.exec(file) ?? [];
      if (type === undefined || version === undefined) throw new Error(`schemas/events/${file}: expected <Type>.v<N>.schema.json`);
      const versions = this.events.get(type) ?? new Map<number, ValidateFunction>();
      versions.set(Number(version), compile(join(dir, 'events', file), `${ID_BASE}/events/${type}.v${version}.json`));
      this.events.set(type, versions);
    }
    for (const file of readdirSync(join(dir, 'commands')).sort()) {
      const [, type] = COMMAND_FILE.exec(file) ?? [];
      if (type === undefined) throw new Error(`schemas/commands/${file}: expected <Type>.schema.json`);
      this.commands.set(type, compile(join(dir, 'commands', file), `${ID_BASE}/commands/${type}.json`));
    }
    const integrationDir = join(dir, 'integration-events');
    for (const file of existsSync(integrationDir) ? readdirSync(integrationDir).sort() : []) {
      const [, type, version] = INTEGRATION_FILE.exec(file) ?? [];
      if (type === undefined || version === undefined) {
        throw new Error(`schemas/integration-events/${file}: expected <context>.<Type>.v<N>.schema.json`);
      }
      const versions = this.integrationEvents.get(type) ?? new Map<number, ValidateFunction>();
      versions.set(Number(version), compile(join(integrationDir, file), `${ID_BASE}/integration-events/${type}.v${version}.json`));
      this.integrationEvents.set(type, versions);
    }
    this.registerUpcasters(options.upcasters ?? UPCASTERS);
    this.upcastContext = options.upcastContext ?? { findMetric };
  }

  eventTypes(): readonly string[] {
    return [...this.events.keys()];
  }

  commandTypes(): readonly string[] {
    return [...this.commands.keys()];
  }

  integrationEventTypes(): readonly string[] {
    return [...this.integrationEvents.keys()];
  }

  hasIntegrationEvent(type: string, version: number): boolean {
    return this.integrationEvents.get(type)?.has(version) ?? false;
  }

  hasEvent(type: string, version: number): boolean {
    return this.events.get(type)?.has(version) ?? false;
  }

  /** The highest schema version of the type: the one writers emit and readers see after upcasting. */
  currentVersion(type: string): number {
    const versions = this.events.get(type);
    if (versions === undefined) throw unknownEvent(type, undefined);
    return Math.max(...versions.keys());
  }

  validateEvent(type: string, version: number, data: unknown): void {
    const validate = this.events.get(type)?.get(version);
    if (validate === undefined) throw unknownEvent(type, version, this.events.has(type));
    if (!validate(data)) throw new SchemaValidationError('event', type, version, issuesFromAjv(validate.errors));
  }

  /** The data of an integration event (what leaves the service on Kafka), against its own versioned schema. */
  validateIntegrationEvent(type: string, version: number, data: unknown): void {
    const validate = this.integrationEvents.get(type)?.get(version);
    if (validate === undefined) {
      const message = this.integrationEvents.has(type) ? 'unknown schema version' : 'unknown integration event type';
      throw new SchemaValidationError('integration-event', type, version, [{ path: '', message }]);
    }
    if (!validate(data)) throw new SchemaValidationError('integration-event', type, version, issuesFromAjv(validate.errors));
  }

  validateCommand(type: string, data: unknown): void {
    const validate = this.commands.get(type);
    if (validate === undefined) throw new SchemaValidationError('command', type, undefined, [{ path: '', message: 'unknown command type' }]);
    if (!validate(data)) throw new SchemaValidationError('command', type, undefined, issuesFromAjv(validate.errors));
  }

  /**
   * The event at the newest schema version of its type. The stored data is validated against its own
   * version and the result against the newest; an event already at the newest version is returned as is.
   */
  upcast(event: StoredEvent): StoredEvent {
    this.validateEvent(event.type, event.schemaVersion, event.data);
    const newest = this.currentVersion(event.type);
    if (event.schemaVersion === newest) return event;
    let data = event.data;
    for (let version = event.schemaVersion; version < newest; version += 1) {
      data = this.upcasterOf(event.type, version).upcast(data, this.upcastContext);
    }
    this.validateEvent(event.type, newest, data);
    return { ...event, schemaVersion: newest, data };
  }

  private upcasterOf(type: string, fromVersion: number): Upcaster {
    const upcaster = this.upcasters.get(`${type}@${fromVersion}`);
    if (upcaster === undefined) throw new Error(`no upcaster for ${type} v${fromVersion}`);
    return upcaster;
  }

  /** Fails fast: every upcaster joins two existing schemas, and every older version has exactly one. */
  private registerUpcasters(upcasters: readonly Upcaster[]): void {
    for (const upcaster of upcasters) {
      const { type, fromVersion } = upcaster;
      const key = `${type}@${fromVersion}`;
      if (this.upcasters.has(key)) throw new Error(`two upcasters for ${type} v${fromVersion}`);
      if (!this.hasEvent(type, fromVersion) || !this.hasEvent(type, fromVersion + 1)) {
        throw new Error(`upcaster ${type} v${fromVersion} -> v${fromVersion + 1}: both schema versions must exist`);
      }
      this.upcasters.set(key, upcaster);
    }
    for (const [type, versions] of this.events) {
      const newest = this.currentVersion(type);
      for (let version = 1; version < newest; version += 1) {
        if (!versions.has(version)) throw new Error(`${type}: schema v${version} is missing below v${newest}`);
        if (!this.upcasters.has(`${type}@${version}`)) throw new Error(`${type}: no upcaster from v${version} to v${version + 1}`);
      }
    }
  }
}

function unknownEvent(type: string, version: number | undefined, typeKnown = false): SchemaValidationError {
  const message = typeKnown ? 'unknown schema version' : 'unknown event type';
  return new SchemaValidationError('event', type, version, [{ path: '', message }]);
}

let shared: SchemaRegistry | undefined;

/** The process-wide registry over the repository's `schemas/` folder, built on first use. */
export function schemaRegistry(): SchemaRegistry {
  shared ??= new SchemaRegistry();
  return shared;
}
