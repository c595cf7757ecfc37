import type { Event } from '../../shared/decider';

/** Bounded contexts, one Kafka topic each (`<prefix>.<context>`). */
export const CONTEXTS = ['ventures', 'metrics', 'capital'] as const;
export type Context = (typeof CONTEXTS)[number];

/** How one domain event type leaves the service: a pure function onto a public, separately versioned shape. */
export interface Translation<E extends Event> {
  readonly context: Context;
  /** `<context>.<Name>`; its schema is `schemas/integration-events/<type>.v<version>.schema.json`. */
  readonly type: `${Context}.${string}`;
  readonly version: number;
  /** The domain data has been validated against (and upcast to) its newest schema before this runs. */
  readonly translate: (data: E['data']) => Record<string, unknown>;
}

/** A translation for every type of the union except the internal ones: the compiler refuses a missing one. */
export type TranslationsOf<E extends Event, Internal extends string> = {
  readonly [T in Exclude<E['type'], Internal>]: Translation<Extract<E, { type: T }>>;
};

/** Domain event types that never leave the service, each with the reason. */
export type InternalEvents = Readonly<Record<string, string>>;

export const money = (amount: string, currency: string): { amount: string; currency: string } => ({ amount, currency });
