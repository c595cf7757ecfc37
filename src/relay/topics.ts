import type { Kafka } from 'kafkajs';
import type { Logger } from '../infra/logger';

/**
 * Creates the topics that do not exist yet with `partitions` partitions (replication factor: the broker's
 * default). An existing topic is left as it is, even with another partition count: adding partitions would move
 * keys to other partitions and break per-key order for consumers, so that is an operator's decision (logged).
 */
export async function ensureTopics(kafka: Kafka, topics: readonly string[], partitions: number, logger: Logger): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    // Two processes may race to create the same topic: kafkajs treats TOPIC_ALREADY_EXISTS as done.
    if (missing.length > 0) {
      await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: partitions })), waitForLeaders: true });
    }
    const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
    for (const topic of metadata.topics) {
      if (topic.partitions.length !== partitions) {
        logger.warn({ topic: topic.name, partitions: topic.partitions.length, configured: partitions }, 'topic exists with another partition count; left as is');
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** Resolves once every topic exists (a consumer may start before the relay created them); polls every 500 ms. */
export async function waitForTopics(kafka: Kafka, topics: readonly string[], logger: Logger, shouldStop: () => boolean = () => false): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let announced = false; !shouldStop(); announced = true) {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((topic) => !existing.has(topic));
      if (missing.length === 0) return;
      if (!announced) logger.info({ missing }, 'waiting for the topics to be created');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await admin.disconnect();
  }
}
