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

/** `() => ReadinessCheck[]`: the dependencies GET /ready checks for this process's role. */
export const READINESS_CHECKS = Symbol('ReadinessChecks');
