import { ConfigError } from '../config/config';
import { LOG_LEVELS, parseEnum, parseKafkaBrokers, parseUrl, type LogLevel, type Parsed } from '../config/parsers';
import { DEFAULT_TOPIC_PREFIX } from './wire';

/** The relay role's environment (DATABASE_URL and KAFKA_BROKERS as in `config.ts`, plus the relay's own knobs). */
export interface RelayConfig {
  readonly databaseUrl: string;
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
  readonly partitions: number;
  readonly batchSize: number;
  readonly logLevel: LogLevel;
}

type Env = Readonly<Record<string, string | undefined>>;

const integer = (min: number, max: number) => (raw: string): Parsed<number> =>
  /^[0-9]{1,9}$/.test(raw) && Number(raw) >= min && Number(raw) <= max
    ? { ok: true, value: Number(raw) }
    : { ok: false, problem: `must be an integer from ${min} to ${max} (got ${JSON.stringify(raw.slice(0, 40))})` };

const topicPrefix = (raw: string): Parsed<string> =>
  /^[A-Za-z0-9._-]{1,200}$/.test(raw)
    ? { ok: true, value: raw }
    : { ok: false, problem: 'must be 1-200 letters, digits, ".", "_" or "-" (a Kafka topic name prefix)' };

/** Reads RELAY_* next to DATABASE_URL and KAFKA_BROKERS; throws a `ConfigError` listing every bad variable. */
export function loadRelayConfig(env: Env = process.env): RelayConfig {
  const problems: string[] = [];
  function read<T>(name: string, parse: (raw: string) => Parsed<T>): T | undefined;
  function read<T>(name: string, parse: (raw: string) => Parsed<T>, fallback: T): T;
  function read<T>(name: string, parse: (raw: string) => Parsed<T>, fallback?: T): T | undefined {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const parsed = parse(raw);
    if (parsed.ok) return parsed.value;
    problems.push(`${name} ${parsed.problem}`);
    return fallback;
  }
  const databaseUrl = read('DATABASE_URL', (raw) => parseUrl(raw, ['postgres:', 'postgresql:']));
  const brokers = read('KAFKA_BROKERS', parseKafkaBrokers);
  if (databaseUrl === undefined && !problems.some((p) => p.startsWith('DATABASE_URL'))) problems.push('DATABASE_URL is required by the relay');
  if (brokers === undefined && !problems.some((p) => p.startsWith('KAFKA_BROKERS'))) problems.push('KAFKA_BROKERS is required by the relay');
  const config = {
    topicPrefix: read('RELAY_TOPIC_PREFIX', topicPrefix, DEFAULT_TOPIC_PREFIX),
    partitions: read('RELAY_TOPIC_PARTITIONS', integer(1, 1000), 3),
    batchSize: read('RELAY_BATCH_SIZE', integer(1, 10_000), 2000),
    logLevel: read('LOG_LEVEL', (raw) => parseEnum(raw, LOG_LEVELS), 'info'),
  };
  if (problems.length > 0 || databaseUrl === undefined || brokers === undefined) throw new ConfigError(problems);
  return { databaseUrl, brokers, ...config };
}
