import { badUserInput } from '../app/graphql/api-error';
import { MAX_PAGE_SIZE } from './limits/query-cost';

/**
 * Resolver arguments, re-checked at the edge: GraphQL has coerced their types, these bound their values and
 * turn GraphQL's null for an omitted optional argument into undefined.
 */

export function pageSize(first: unknown, name = 'first'): number {
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(name, `${name} must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return first;
}

export function optionalText(value: unknown, name: string, maxLength = 200): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) throw badUserInput(name, `${name} must be 1-${maxLength} characters`);
  return value;
}

export function requiredText(value: unknown, name: string, maxLength = 200): string {
  const text = optionalText(value, name, maxLength);
  if (text === undefined) throw badUserInput(name, `${name} is required`);
  return text;
}

const ID = /^[A-Za-z0-9_.:-]{1,190}$/;

/** An aggregate id as it appears in a stream name (`venture-<id>`). */
export function aggregateId(value: unknown, name = 'id'): string {
  if (typeof value !== 'string' || !ID.test(value)) throw badUserInput(name, `${name} must be 1-190 letters, digits or - _ . :`);
  return value;
}

export function optionalCursor(value: unknown): string | undefined {
  return optionalText(value, 'after', 400);
}

/** An instant the DateTime scalar already parsed (ISO string); refused when it lies in the future. */
export function pastInstant(value: unknown, name: string, now: Date): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw badUserInput(name, `${name} must be an ISO-8601 instant`);
  if (Date.parse(value) > now.getTime()) throw badUserInput(name, `${name} lies in the future (now is ${now.toISOString()})`);
  return value;
}

export function optionalInstant(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw badUserInput(name, `${name} must be an ISO-8601 instant`);
  return value;
}

export function objectArg(value: unknown, name: string): Readonly<Record<string, unknown>> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badUserInput(name, `${name} must be an object`);
  return value as Record<string, unknown>;
}

export function optionalEnum<T extends string>(value: unknown, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === null) return undefined;
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw badUserInput(name, `${name} must be one of ${allowed.join(', ')}`);
  return found;
}

/** Copies only the defined entries (optional properties stay absent). */
export function defined<T extends Record<string, unknown>>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
