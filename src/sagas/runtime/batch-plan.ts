import type { StoredEvent } from '../../write-model/event-store/event-store.port';
import { deriveCommandId } from './dispatch';
import type { Saga, SagaCommand } from './saga';

export interface TimerMeta {
  readonly tenant: string;
  readonly correlationId: string;
  readonly causationId: string;
  /** The triggering event's writer span (its metadata `traceparent`): the span of the command links to it. */
  readonly traceparent?: string;
}

/** A timer or retry as stored: `id` is unique across sagas and instances. */
export interface TimerRow {
  readonly id: string;
  readonly key: string;
  readonly localId: string;
  readonly kind: 'timer' | 'retry';
  readonly dueAt: string;
  readonly command: SagaCommand;
  readonly meta: TimerMeta;
  readonly commandId: string;
  readonly attempt: number;
}

export interface PlannedCommand {
  readonly command: SagaCommand;
  readonly commandId: string;
  readonly meta: TimerMeta;
  readonly event: StoredEvent;
}

export interface Instance<S> {
  readonly key: string;
  readonly tenant: string;
  readonly state: S;
}

/** What one batch does to one saga instance, in event order. */
export interface InstancePlan<S> {
  readonly key: string;
  readonly tenant: string;
  state: S;
  readonly commands: PlannedCommand[];
  readonly timers: Map<string, TimerRow>;
  readonly cancelIds: Set<string>;
  cancelAll: boolean;
}

export const timerRowId = (saga: string, key: string, localId: string): string => `${saga}:${key}:${localId}`;

/**
 * Pure: routes the batch's events to instances (by key, or by association against the states as they evolve within
 * the batch), folds them and collects the decisions. Command ids derive from (saga, instance, event, index), so a
 * redelivered batch plans exactly the same commands.
 */
export function planBatch<S>(saga: Saga<S>, events: readonly StoredEvent[], loaded: ReadonlyMap<string, Instance<S>>): Map<string, InstancePlan<S>> {
  const plans = new Map<string, InstancePlan<S>>();
  const live = new Map<string, { tenant: string; state: S }>([...loaded].map(([key, i]) => [key, { tenant: i.tenant, state: i.state }]));
  const handled = new Set(saga.canHandle);

  const apply = (key: string, event: StoredEvent): void => {
    const current = live.get(key);
    if (current === undefined) return;
    const state = saga.evolve(current.state, event);
    const decided = saga.decide(state, event);
    live.set(key, { tenant: current.tenant, state });
    let plan = plans.get(key);
    if (plan === undefined) {
      plan = { key, tenant: current.tenant, state, commands: [], timers: new Map(), cancelIds: new Set(), cancelAll: false };
      plans.set(key, plan);
    }
    plan.state = state;
    const traceparent = event.metadata['traceparent'];
    const meta: TimerMeta = {
      tenant: event.metadata.tenant,
      correlationId: event.metadata.correlationId,
      causationId: event.eventId,
      ...(typeof traceparent === 'string' && { traceparent }),
    };
    decided.commands.forEach((command, index) => {
      plan.commands.push({ command, commandId: deriveCommandId(saga.name, key, event.eventId, index), meta, event });
    });
    if (decided.cancelTimers === 'all') {
      plan.timers.clear();
      plan.cancelIds.clear();
      plan.cancelAll = true;
    } else {
      for (const id of decided.cancelTimers) {
        plan.timers.delete(id);
        plan.cancelIds.add(id);
      }
    }
    for (const timer of decided.timers) {
      const id = timerRowId(saga.name, key, timer.id);
      const commandId = deriveCommandId(saga.name, key, 'timer', timer.id);
      plan.timers.set(timer.id, { id, key, localId: timer.id, kind: 'timer', dueAt: new Date(timer.dueAt).toISOString(), command: timer.command, meta, commandId, attempt: 0 });
    }
  };

  for (const event of events) {
    if (!handled.has(event.type)) continue;
    const target = saga.correlate(event);
    if (target === undefined) continue;
    if ('key' in target) {
      if (!live.has(target.key) && target.starts) live.set(target.key, { tenant: event.metadata.tenant, state: saga.initialState() });
      apply(target.key, event);
      continue;
    }
    for (const [key, instance] of live) {
      if (instance.tenant === event.metadata.tenant && !saga.isDone(instance.state) && saga.associations(instance.state).includes(target.association)) {
        apply(key, event);
      }
    }
  }
  return plans;
}
