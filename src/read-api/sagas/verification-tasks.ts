import { loadAggregate } from '../../app/cqrs/load-aggregate';
import type { EventStore } from '../../write-model/event-store/event-store.port';
import { gedsiDecider, streamId as gedsiStreamId } from '../../write-model/gedsi/domain/gedsi.decider';
import { metricKey } from '../../write-model/gedsi/domain/gedsi.state';
import { gedsiReviewDecider, streamId as reviewStreamId } from '../../write-model/gedsi-review/domain/gedsi-review.decider';

export interface VerificationTaskView {
  readonly ventureId: string;
  readonly metricId: string;
  readonly period: string;
  readonly value: number;
  readonly reason: string;
  readonly deadline: string;
  readonly state: 'OPEN' | 'VERIFIED' | 'OVERDUE';
}

/** A venture's verification tasks: verified once the value they ask about is verified, overdue after a missed deadline. */
export async function verificationTasks(store: EventStore, ventureId: string, tenant: string): Promise<VerificationTaskView[]> {
  const [review, metrics] = await Promise.all([
    loadAggregate(store, gedsiReviewDecider, reviewStreamId(ventureId)),
    loadAggregate(store, gedsiDecider, gedsiStreamId(ventureId)),
  ]);
  if (review.tenant !== tenant) return [];
  return [...review.state.tasks.values()].map((task) => {
    const recorded = metrics.state.metrics.get(metricKey(task.metricId, task.period));
    const verified = recorded?.verified === true && recorded.value === task.value;
    return { ventureId, ...task, state: verified ? 'VERIFIED' : task.overdue ? 'OVERDUE' : 'OPEN' };
  });
}
