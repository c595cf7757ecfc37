import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus registry (served at GET /metrics by every role). Metrics whose value lives
 * elsewhere (projection lag, due timers, relay lag) are gauges filled at scrape time by collectors that
 * the roles register with `onScrape`.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export const commandsTotal = new Counter({
  name: 'gedsi_commands_total',
  help: 'Commands handled, by command type and outcome (ok, duplicate, noop, rejected, conflict, error)',
  labelNames: ['type', 'outcome'] as const,
  registers: [registry],
});

export const commandDuration = new Histogram({
  name: 'gedsi_command_duration_seconds',
  help: 'Time to load, decide and append one command, by command type',
  labelNames: ['type'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const appendDuration = new Histogram({
  name: 'gedsi_event_store_append_duration_seconds',
  help: 'Latency of one append to the event store (including group-commit wait)',
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const appendConflicts = new Counter({
  name: 'gedsi_event_store_conflicts_total',
  help: 'Appends refused because the stream was not at the expected revision',
  registers: [registry],
});

export const graphqlDuration = new Histogram({
  name: 'gedsi_graphql_operation_duration_seconds',
  help: 'GraphQL operation latency by operation name and type',
  labelNames: ['operation', 'type'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const cacheRequests = new Counter({
  name: 'gedsi_cache_requests_total',
  help: 'Read-model answer cache look-ups by read model and result (hit, miss, error)',
  labelNames: ['cache', 'result'] as const,
  registers: [registry],
});

export const projectionPosition = new Gauge({
  name: 'gedsi_projection_position',
  help: 'Last log position applied by each projection',
  labelNames: ['projection'] as const,
  registers: [registry],
});
export const projectionLag = new Gauge({
  name: 'gedsi_projection_lag_events',
  help: 'Events between each projection and the head of the log',
  labelNames: ['projection'] as const,
  registers: [registry],
});
export const projectionRate = new Gauge({
  name: 'gedsi_projection_events_per_second',
  help: 'Recent apply rate of each projection',
  labelNames: ['projection'] as const,
  registers: [registry],
});
export const projectionDeadLetters = new Gauge({
  name: 'gedsi_projection_dead_letters',
  help: 'Dead letters waiting for an operator, per projection',
  labelNames: ['projection'] as const,
  registers: [registry],
});
export const sagaTimersDue = new Gauge({
  name: 'gedsi_saga_timers_due',
  help: 'Durable saga timers that are due and not yet fired',
  registers: [registry],
});
export const sagaLag = new Gauge({
  name: 'gedsi_saga_lag_events',
  help: 'Events between each saga worker and the head of the log',
  labelNames: ['saga'] as const,
  registers: [registry],
});
export const relayPosition = new Gauge({
  name: 'gedsi_relay_position',
  help: 'Position of the last log event the broker acknowledged (PostgreSQL log positions)',
  registers: [registry],
});

export const relayLag = new Gauge({
  name: 'gedsi_relay_lag_events',
  help: 'Events between the Kafka relay checkpoint and the head of the log',
  registers: [registry],
});

type Collector = () => Promise<void>;
const collectors = new Set<Collector>();

/** Registers a function that refreshes gauges before each scrape; returns its unregister function. */
export function onScrape(collector: Collector): () => void {
  collectors.add(collector);
  return () => collectors.delete(collector);
}

/** The exposition text; a failing collector leaves its gauges at their last value rather than failing the scrape. */
export async function scrape(): Promise<string> {
  await Promise.allSettled([...collectors].map((c) => c()));
  return registry.metrics();
}

export const metricsContentType = registry.contentType;
