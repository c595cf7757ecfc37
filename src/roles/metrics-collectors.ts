import type { ProjectionsService } from '../projections/projections.service';
import type { RelayHandle } from '../relay/relay-types';
import type { SagaApi } from '../sagas/saga-api';
import {
  onScrape,
  projectionDeadLetters,
  projectionLag,
  projectionPosition,
  projectionRate,
  relayLag,
  sagaLag,
  sagaTimersDue,
} from '../infra/observability/metrics';

/** Projection position, lag, rate and dead letters, read from the projections' own status at scrape time. */
export function collectProjectionMetrics(service: ProjectionsService): () => void {
  return onScrape(async () => {
    for (const p of await service.list()) {
      if (p.position !== null && p.position !== undefined) projectionPosition.set({ projection: p.name }, Number(p.position));
      projectionLag.set({ projection: p.name }, p.lag);
      projectionDeadLetters.set({ projection: p.name }, p.deadLetters);
      projectionRate.set({ projection: p.name }, p.eventsPerSecond);
    }
  });
}

export function collectSagaMetrics(api: SagaApi): () => void {
  return onScrape(async () => {
    let due = 0;
    for (const s of await api.status()) {
      sagaLag.set({ saga: s.name }, s.lag);
      due += s.dueTimers;
    }
    sagaTimersDue.set(due);
  });
}

export function collectRelayMetrics(relay: RelayHandle): () => void {
  return onScrape(async () => {
    const status = await relay.status();
    if (status.lag !== undefined) relayLag.set(status.lag);
  });
}
