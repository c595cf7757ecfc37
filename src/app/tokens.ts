/** Nest injection tokens of the values built outside Nest (Nest only wires them). */
export const EVENT_STORE = Symbol('EventStore');
export const LOGGER = Symbol('Logger');
export const AUTH_SECRET = Symbol('AuthSecret');
export const CLOCK = Symbol('Clock');

/** Time is an input: commands take `now` from here, so tests can pin it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** `{ role, checks: () => ReadinessCheck[] }`: the process role and the dependencies GET /ready checks. */
export const READINESS_CHECKS = Symbol('ReadinessChecks');
