import { ConfigError } from '../config/config';
import { loadRelayConfig } from './relay-config';

const BASE = { DATABASE_URL: 'postgres://u@db:5432/app', KAFKA_BROKERS: 'k1:9092,k2:9092' };

const problems = (env: Record<string, string>): readonly string[] => {
  try {
    loadRelayConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('accepted');
};

describe('relay configuration', () => {
  it('defaults to the gedsi prefix, 3 partitions and batches of 2000', () => {
    expect(loadRelayConfig(BASE)).toEqual({
      databaseUrl: BASE.DATABASE_URL, brokers: ['k1:9092', 'k2:9092'], topicPrefix: 'gedsi', partitions: 3, batchSize: 2000, logLevel: 'info',
    });
  });

  it('reads RELAY_TOPIC_PREFIX, RELAY_TOPIC_PARTITIONS and RELAY_BATCH_SIZE', () => {
    expect(loadRelayConfig({ ...BASE, RELAY_TOPIC_PREFIX: 'prod.gedsi', RELAY_TOPIC_PARTITIONS: '12', RELAY_BATCH_SIZE: '500' })).toMatchObject({
      topicPrefix: 'prod.gedsi', partitions: 12, batchSize: 500,
    });
  });

  it('lists every bad or missing variable at once', () => {
    expect(problems({ RELAY_TOPIC_PARTITIONS: '0', RELAY_TOPIC_PREFIX: 'a b' })).toEqual([
      'DATABASE_URL is required by the relay',
      'KAFKA_BROKERS is required by the relay',
      'RELAY_TOPIC_PREFIX must be 1-200 letters, digits, ".", "_" or "-" (a Kafka topic name prefix)',
      'RELAY_TOPIC_PARTITIONS must be an integer from 1 to 1000 (got "0")',
    ]);
    expect(problems({ ...BASE, KAFKA_BROKERS: 'k1' })).toEqual([
      'KAFKA_BROKERS must be a comma-separated list of host:port, but "k1" is not',
    ]);
  });
});
