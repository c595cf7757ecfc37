import { Kafka, logLevel, type LogEntry, type RetryOptions } from 'kafkajs';
import type { Logger } from '../infra/logger';

export interface KafkaClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /** kafkajs' own retries of one request; callers retry whole operations with their own backoff on top. */
  readonly retry?: RetryOptions;
}

/**
 * kafkajs warns whenever an idempotent producer's retries are bounded; ours are on purpose (the relay's own loop
 * retries forever with the same producer, hence the same sequence numbers, so the broker still deduplicates).
 */
const SILENCED = [/Limiting retries for the idempotent producer/];

/** A kafkajs client whose log lines go to our pino logger (kafkajs errors are mostly transient: `warn`). */
export function createKafka(options: KafkaClientOptions): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  const logCreator =
    () =>
    ({ level, log: entry }: LogEntry): void => {
      const { message, timestamp: _t, logger: _l, ...rest } = entry;
      if (SILENCED.some((pattern) => pattern.test(message))) return;
      if (level <= logLevel.WARN) log.warn(rest, message);
      else if (level === logLevel.INFO) log.debug(rest, message);
      else log.trace(rest, message);
    };
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    retry: options.retry ?? { retries: 3, initialRetryTime: 100, maxRetryTime: 2000 },
    logLevel: logLevel.WARN,
    logCreator,
  });
}
