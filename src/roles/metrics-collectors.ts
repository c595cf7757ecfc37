import type { Gauge, LabelValues } from 'prom-client';
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
  relayPosition,
  sagaLag,
  sagaTimersDue,
} from '../infra/observability/metrics';

/** Projection position, lag, rate and dead letters, read from the projections' own status at scrape time. */
export function collectProjectionMetrics(service: ProjectionsService): () => void {
  return onScrape(async () => {
    for (const p of await service.list()) {
      const labels = { projection: p.name };
      if (p.position !== null && p.position !== undefined) setFinite(projectionPosition, labels, Number(p.position));
      setFinite(projectionLag, labels, p.lag);
      setFinite(projectionDeadLetters, labels, p.deadLetters);
      setFinite(projectionRate, labels, p.eventsPerSecond);
    }
  });
}

export function collectSagaMetrics(api: SagaApi): () => void {
  return onScrape(async () => {
    let due = 0;
    for (const s of await api.status()) {
      setFinite(sagaLag, { saga: s.name }, s.lag);
      due += s.dueTimers;
    }
    sagaTimersDue.set(due);
  });
}

export function collectRelayMetrics(relay: RelayHandle): () => void {
  return onScrape(async () => {
    const status = await relay.status();
    if (status.lag !== undefined) setFinite(relayLag, {}, status.lag);
    if (status.checkpoint !== undefined) setFinite(relayPosition, {}, Number(status.checkpoint));
  });
}

/** A value that is not a finite number (a position that is not numeric, a rate of nothing) leaves the series as it was. */
function setFinite<L extends string>(gauge: Gauge<L>, labels: LabelValues<L>, value: number): void {
  if (Number.isFinite(value)) gauge.set(labels, value);
}
