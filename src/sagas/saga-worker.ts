import { Pool } from 'pg';
import type { Logger } from '../infra/logger';
import { SchemaRegistry } from '../shared/schemas/schema-registry';
import { CommandRunner } from '../write-model/command-runner';
import { createEventStore } from '../write-model/event-store/create-event-store';
import type { EventStore } from '../write-model/event-store/event-store.port';
import { ValidatingEventStore } from '../write-model/event-store/validating-event-store';
import { CapitalDispatcher } from './capital/capital-dispatcher';
import { capitalWorkflow, type CapitalWorkflowSettings } from './capital/capital.workflow';
import { investorDirectory } from './capital/investor-directory';
import type { PaymentProvider } from './capital/payment-provider.port';
import { migrateSimulatedProvider, SimulatedPaymentProvider, type SimulatedProviderOptions } from './capital/simulated-provider';
import { GEDSIDispatcher } from './gedsi/gedsi-dispatcher';
import { gedsiWorkflow, type GEDSIWorkflowSettings } from './gedsi/gedsi.workflow';
import { DEFAULT_CAPITAL_SETTINGS, DEFAULT_GEDSI_SETTINGS } from './saga-config';
import type { SagaDispatcher } from './runtime/dispatch';
import { migrateSagas } from './runtime/migrations';
import { SagaProcessor, type Clock } from './runtime/saga-processor';
import { sagaStatus, type SagaStatus } from './runtime/status';

export interface SagaWorkerOptions {
  readonly databaseUrl: string;
  readonly logger: Logger;
  /** The payment provider; the deterministic simulated one (tables in `databaseUrl`) when absent. */
  readonly provider?: PaymentProvider;
  readonly simulatedProvider?: SimulatedProviderOptions;
  /** Set when the log is in EventStoreDB (the saga tables stay in PostgreSQL). */
  readonly eventStoreConnectionString?: string;
  readonly capital?: CapitalWorkflowSettings;
  readonly gedsi?: GEDSIWorkflowSettings;
  readonly clock?: Clock;
  readonly timerPollMs?: number;
  readonly leaseRetryMs?: number;
  readonly restartDelayMs?: number;
}

export interface SagaWorker {
  readonly processors: readonly SagaProcessor<unknown>[];
  /** Lag, timers, instances and dead letters of every saga this worker runs. */
  status(): Promise<SagaStatus[]>;
  /** Fires every due timer now (tests that move the clock). */
  fireDueTimers(): Promise<void>;
  stop(): Promise<void>;
}

export const SAGA_NAMES = ['capital', 'gedsi', 'investor-directory'] as const;

const noCommands: SagaDispatcher = {
  dispatch: (command) => Promise.reject(new Error(`${command.type}: this processor dispatches nothing`)),
};

/**
 * The saga role: the capital and GEDSI process managers and the investor directory, each with its own lease,
 * checkpoint and timers. Several workers may run; each saga is active in one of them at a time.
 */
export async function startSagaWorker(options: SagaWorkerOptions): Promise<SagaWorker> {
  const { databaseUrl, logger } = options;
  await migrateSagas(databaseUrl);
  const schemas = new SchemaRegistry();
  const inner: EventStore = await createEventStore({
    databaseUrl,
    ...(options.eventStoreConnectionString !== undefined && { eventStoreConnectionString: options.eventStoreConnectionString }),
    onBackgroundError: (error) => logger.warn({ err: error }, 'saga worker: event store background error'),
  });
  const store = new ValidatingEventStore(inner, schemas);
  const runner = new CommandRunner(store, schemas);
  const pool = new Pool({ connectionString: databaseUrl, max: 8, application_name: 'saga-worker' });
  pool.on('error', (error) => logger.warn({ err: error }, 'saga worker: pool error'));
  let provider = options.provider;
  if (provider === undefined) {
    await migrateSimulatedProvider(pool);
    provider = new SimulatedPaymentProvider(pool, options.simulatedProvider ?? { seed: 'simulated-provider' });
  }
  const common = {
    store: inner,
    decode: (event: Parameters<SchemaRegistry['upcast']>[0]) => schemas.upcast(event),
    connectionString: databaseUrl,
    logger: logger.child({ component: 'saga' }),
    ...(options.clock !== undefined && { clock: options.clock }),
    ...(options.timerPollMs !== undefined && { timerPollMs: options.timerPollMs }),
    ...(options.leaseRetryMs !== undefined && { leaseRetryMs: options.leaseRetryMs }),
    ...(options.restartDelayMs !== undefined && { restartDelayMs: options.restartDelayMs }),
  };
  const processors = [
    new SagaProcessor({ ...common, saga: investorDirectory, dispatcher: noCommands }),
    new SagaProcessor({
      ...common,
      saga: capitalWorkflow(options.capital ?? DEFAULT_CAPITAL_SETTINGS),
      dispatcher: new CapitalDispatcher({ store, runner, provider, pool, logger }),
    }),
    new SagaProcessor({ ...common, saga: gedsiWorkflow(options.gedsi ?? DEFAULT_GEDSI_SETTINGS), dispatcher: new GEDSIDispatcher(store, runner) }),
  ] as SagaProcessor<unknown>[];
  for (const processor of processors) processor.start();
  return {
    processors,
    status: () => sagaStatus(pool, inner, SAGA_NAMES, options.clock?.now()),
    fireDueTimers: async () => {
      for (const processor of processors) await processor.fireDueTimers();
    },
    stop: async () => {
      await Promise.all(processors.map((p) => p.stop()));
      await inner.close();
      await pool.end();
    },
  };
}
