import { resolve } from 'node:path';
import {
  LOG_LEVELS,
  NODE_ENVS,
  ROLES,
  type Role,
  type LogLevel,
  type NodeEnv,
  parseEnum,
  parseEsdbConnectionString,
  parseKafkaBrokers,
  parsePort,
  parseUrl,
  type Parsed,
} from './parsers';

/** The process configuration, read from the environment once at start. Absent optional services mean "embedded". */
export interface AppConfig {
  readonly nodeEnv: NodeEnv;
  /** ROLE (or `--role=`): which process role this process runs. */
  readonly role: Role;
  readonly host: string;
  readonly port: number;
  readonly logLevel: LogLevel;
  readonly dataDir: string;
  /** Unset: an embedded PostgreSQL under `dataDir/postgres`. */
  readonly databaseUrl?: string;
  readonly eventStoreConnectionString?: string;
  readonly elasticsearchUrl?: string;
  readonly kafkaBrokers?: readonly string[];
  readonly redisUrl?: string;
  /** Unset outside production: `npm start` generates a development secret for that run. */
  readonly authJwtSecret?: string;
}

/** Every problem of the environment at once, one line per variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const MIN_JWT_SECRET_LENGTH = 32;
const HOST_PATTERN = /^[A-Za-z0-9.:_-]{1,253}$/;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the environment; throws a `ConfigError` listing every bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  function take<T>(name: string, parsed: Parsed<T> | undefined): T | undefined {
    if (parsed === undefined) return undefined;
    if (parsed.ok) return parsed.value;
    problems.push(`${name} ${parsed.problem}`);
    return undefined;
  }
  const optional = <T>(name: string, parse: (raw: string) => Parsed<T>): T | undefined => {
    const raw = value(name);
    return raw === undefined ? undefined : take(name, parse(raw));
  };

  const nodeEnv = optional('NODE_ENV', (raw) => parseEnum(raw, NODE_ENVS)) ?? 'development';
  const role = optional('ROLE', (raw) => parseEnum(raw, ROLES)) ?? 'all';
  const logLevel = optional('LOG_LEVEL', (raw) => parseEnum(raw, LOG_LEVELS)) ?? 'info';
  const port = optional('PORT', parsePort) ?? 4000;
  const host =
    optional('HOST', (raw): Parsed<string> =>
      HOST_PATTERN.test(raw) ? { ok: true, value: raw } : { ok: false, problem: 'must be a host name or an IP address' },
    ) ?? '127.0.0.1';
  const dataDir = resolve(value('DATA_DIR') ?? './.data');
  const databaseUrl = optional('DATABASE_URL', (raw) => parseUrl(raw, ['postgres:', 'postgresql:']));
  const eventStoreConnectionString = optional('EVENTSTORE_CONNECTION_STRING', parseEsdbConnectionString);
  const elasticsearchUrl = optional('ELASTICSEARCH_URL', (raw) => parseUrl(raw, ['http:', 'https:']));
  const kafkaBrokers = optional('KAFKA_BROKERS', parseKafkaBrokers);
  const redisUrl = optional('REDIS_URL', (raw) => parseUrl(raw, ['redis:', 'rediss:']));
  const authJwtSecret = optional('AUTH_JWT_SECRET', (raw): Parsed<string> =>
    raw.length >= MIN_JWT_SECRET_LENGTH
      ? { ok: true, value: raw }
      : { ok: false, problem: `must be at least ${MIN_JWT_SECRET_LENGTH} characters long (got ${raw.length})` },
  );
  if (nodeEnv === 'production' && value('AUTH_JWT_SECRET') === undefined) {
    problems.push('AUTH_JWT_SECRET is required when NODE_ENV=production (the development secret is never generated there)');
  }

  if (role === 'relay' && value('KAFKA_BROKERS') === undefined) problems.push('ROLE=relay needs KAFKA_BROKERS (the relay publishes to Kafka)');

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    nodeEnv,
    role,
    host,
    port,
    logLevel,
    dataDir,
    ...(databaseUrl !== undefined && { databaseUrl }),
    ...(eventStoreConnectionString !== undefined && { eventStoreConnectionString }),
    ...(elasticsearchUrl !== undefined && { elasticsearchUrl }),
    ...(kafkaBrokers !== undefined && { kafkaBrokers }),
    ...(redisUrl !== undefined && { redisUrl }),
    ...(authJwtSecret !== undefined && { authJwtSecret }),
  };
}

/** For `main`: prints every problem to stderr and exits 1 instead of starting half-configured. */
export function loadConfigOrExit(env: Env = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
