import { badUserInput } from '../graphql/api-error';

/**
 * GraphQL has already coerced the input to the schema's types; this re-checks them at the edge instead of
 * trusting a cast, and turns GraphQL's `null` for an omitted optional field into `undefined`.
 */
export class InputReader {
  private constructor(private readonly input: Readonly<Record<string, unknown>>) {}

  static of(value: unknown): InputReader {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badUserInput('input', 'input must be an object');
    return new InputReader(value as Record<string, unknown>);
  }

  string(name: string): string | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw badUserInput(name, `${name} must be a string`);
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw badUserInput(name, `${name} is required`);
    return value;
  }

  /** A string, or null when the client sent an explicit null (clearing an optional field). */
  nullableString(name: string): string | null | undefined {
    return this.input[name] === null ? null : this.string(name);
  }

  /** One of `allowed` (a GraphQL enum, already checked by GraphQL: this is the type-level guard). */
  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const found = allowed.find((candidate) => candidate === value);
    if (found === undefined) throw badUserInput(name, `${name} must be one of ${allowed.join(', ')}`);
    return found;
  }

  requiredOneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.oneOf(name, allowed);
    if (value === undefined) throw badUserInput(name, `${name} is required`);
    return value;
  }

  number(name: string): number | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw badUserInput(name, `${name} must be a finite number`);
    return value;
  }

  requiredNumber(name: string): number {
    const value = this.number(name);
    if (value === undefined) throw badUserInput(name, `${name} is required`);
    return value;
  }

  integer(name: string): number | undefined {
    const value = this.number(name);
    if (value !== undefined && !Number.isInteger(value)) throw badUserInput(name, `${name} must be an integer`);
    return value;
  }
}

/** Drops undefined entries, so optional fields the client omitted are absent rather than `undefined`. */
export function compact<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}
