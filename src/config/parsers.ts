/**
 * Parsers of single environment values. A problem is phrased to follow the variable's name
 * ("PORT must be ..."), and never repeats a value that may hold a password.
 */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];
/** Process roles: one build runs any of them; `all` (the default) runs every role in one process. */
export const ROLES = ['all', 'api', 'projector', 'saga', 'relay'] as const;
export type Role = (typeof ROLES)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(problem: string): Parsed<T> => ({ ok: false, problem });

export function parseEnum<T extends string>(raw: string, allowed: readonly T[]): Parsed<T> {
  const found = allowed.find((candidate) => candidate === raw);
  return found !== undefined ? ok(found) : fail(`must be one of ${allowed.join(', ')} (got ${JSON.stringify(raw.slice(0, 40))})`);
}

export function parsePort(raw: string): Parsed<number> {
  if (!/^\d{1,5}$/.test(raw)) return fail(`must be an integer from 1 to 65535 (got ${JSON.stringify(raw.slice(0, 40))})`);
  const port = Number(raw);
  return port >= 1 && port <= 65535 ? ok(port) : fail(`must be an integer from 1 to 65535 (got ${port})`);
}

/** An absolute URL with one of the given protocols and a host; the value is not echoed (it may carry a password). */
export function parseUrl(raw: string, protocols: readonly string[]): Parsed<string> {
  const expected = `a ${protocols.map((p) => `${p}//`).join(' or ')} URL`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail(`must be ${expected}, but it is not a valid URL`);
  }
  if (!protocols.includes(url.protocol)) return fail(`must be ${expected}, but its scheme is ${JSON.stringify(url.protocol)}`);
  if (url.hostname === '') return fail(`must be ${expected} with a host name`);
  return ok(raw);
}

export function parseEsdbConnectionString(raw: string): Parsed<string> {
  const match = /^(esdb|esdb\+discover):\/\/([^/?#]+)/.exec(raw);
  if (!match) return fail('must be an EventStoreDB connection string: esdb://host:port or esdb+discover://host:port');
  const hosts = (match[2] ?? '').replace(/^[^@]*@/, '').split(',');
  const bad = hosts.find((h) => !isHostPort(h, false));
  return bad === undefined ? ok(raw) : fail(`has an invalid host ${JSON.stringify(bad.slice(0, 80))}: expected host or host:port`);
}

export function parseKafkaBrokers(raw: string): Parsed<readonly string[]> {
  const brokers = raw.split(',').map((b) => b.trim());
  const bad = brokers.filter((b) => !isHostPort(b, true));
  if (bad.length > 0) {
    return fail(`must be a comma-separated list of host:port, but ${bad.map((b) => JSON.stringify(b.slice(0, 80))).join(', ')} is not`);
  }
  return ok(brokers);
}

function isHostPort(value: string, portRequired: boolean): boolean {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(value);
  if (!match) return false;
  const port = match[2];
  if (port === undefined) return !portRequired;
  const n = Number(port);
  return n >= 1 && n <= 65535;
}
