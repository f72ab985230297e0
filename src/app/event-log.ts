// The event log of this process: Kafka when KAFKA_BROKERS is set (distributed mode), else the
// in-process log. Its topics are created when missing, each with its own defaults.
import type { Config } from '../config.ts';
import type { EventLog } from '../log/event-log.ts';
import { KafkaEventLog } from '../log/kafka/kafka-event-log.ts';
import { MemoryEventLog } from '../log/memory/memory-event-log.ts';
import { PrefixedEventLog } from '../log/prefixed-event-log.ts';
import { KAFKA_TOPIC_DEFAULTS, TOPICS } from '../log/topics.ts';
import type { Logger } from '../ops/logger.ts';
import type { Metrics } from '../ops/metrics.ts';

export async function openEventLog(
  config: Config,
  { metrics, logger }: { metrics: Metrics; logger: Logger },
): Promise<{ log: EventLog; kind: 'kafka' | 'in-process' }> {
  if (config.kafkaBrokers.length === 0) {
    const log = new MemoryEventLog();
    for (const topic of TOPICS) await log.createTopic(topic, config.logPartitions);
    return { log, kind: 'in-process' };
  }
  const kafka = new KafkaEventLog({
    brokers: config.kafkaBrokers,
    logger,
    onRejected: () => metrics.eventsRejected.inc({ stage: 'log' }),
  });
  const log =
    config.kafkaTopicPrefix === '' ? kafka : new PrefixedEventLog(kafka, config.kafkaTopicPrefix);
  try {
    for (const topic of TOPICS)
      await log.createTopic(topic, KAFKA_TOPIC_DEFAULTS[topic].partitions);
  } catch (error) {
    await log.close();
    throw error;
  }
  return { log, kind: 'kafka' };
}
