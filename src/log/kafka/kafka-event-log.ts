// The event log of distributed mode: Kafka through @platformatic/kafka (pure TypeScript).
// Records go out through an idempotent producer (acks=all: a record is acknowledged once every
// in-sync replica has it, and a retried batch is never written twice), placed by our own
// murmur2 partitioner, which is Kafka's default: a channel lands in the same partition number
// as in the in-process log and as with any other Kafka client.
import { Admin, Producer, ProduceAcks } from '@platformatic/kafka';
import type { ConsumerOptions, EventLog, LogConsumer, OutgoingRecord } from '../event-log.ts';
import { partitionFor } from '../partitioner.ts';
import { KAFKA_TOPIC_DEFAULTS } from '../topics.ts';
import { silentLogger, type Logger } from '../../ops/logger.ts';
import { KafkaLogConsumer } from './kafka-consumer.ts';
import { mentions } from './kafka-errors.ts';
import { encodeValue } from './record-codec.ts';
import { sleep } from '../../ops/sleep.ts';

export interface KafkaEventLogOptions {
  /** `host:port` of one or more brokers. */
  brokers: string[];
  clientId?: string;
  logger?: Logger;
  /** Told of each record a consumer skipped because it is not a valid event. */
  onRejected?: () => void;
}

/**
 * Below the broker's default message.max.bytes (1 MiB) per request, so one partition receiving
 * a whole send still fits in one record batch.
 */
const MAX_REQUEST_BYTES = 900 * 1024;
const TOPIC_ALREADY_EXISTS = 'TOPIC_ALREADY_EXISTS';
/** How long a topic may take to appear in metadata after it was created. */
const TOPIC_METADATA_WAIT_MS = 10_000;

export class KafkaEventLog implements EventLog {
  private readonly options: KafkaEventLogOptions;
  private readonly clientId: string;
  private readonly admin: Admin;
  private readonly producer: Producer;
  private readonly partitionCounts = new Map<string, number>();
  private readonly consumers = new Set<KafkaLogConsumer>();
  /** Sends one after another: records keep the order in which `send` was called. */
  private sending: Promise<void> = Promise.resolve();

  constructor(options: KafkaEventLogOptions) {
    this.options = options;
    this.clientId = options.clientId ?? 'streamscout';
    const base = { clientId: this.clientId, bootstrapBrokers: options.brokers };
    this.admin = new Admin(base);
    this.producer = new Producer({ ...base, idempotent: true, acks: ProduceAcks.ALL });
  }

  /**
   * Creates the topic with `partitions` and the retention of KAFKA_TOPIC_DEFAULTS (topics.ts).
   * An existing topic is left as it is, partitions and retention included.
   */
  async createTopic(topic: string, partitions: number): Promise<void> {
    const defaults = KAFKA_TOPIC_DEFAULTS[topic as keyof typeof KAFKA_TOPIC_DEFAULTS];
    const configs =
      defaults === undefined ? [] : [{ name: 'retention.ms', value: String(defaults.retentionMs) }];
    try {
      await this.admin.createTopics({ topics: [topic], partitions, replicas: -1, configs });
    } catch (error) {
      if (!mentions(error, TOPIC_ALREADY_EXISTS)) throw error;
    }
  }

  async send(topic: string, records: OutgoingRecord[]): Promise<void> {
    const sent = this.sending.then(() => this.sendInOrder(topic, records));
    this.sending = sent.catch(() => {});
    return sent;
  }

  async consumer(options: ConsumerOptions): Promise<LogConsumer> {
    const consumer: KafkaLogConsumer = await KafkaLogConsumer.join({
      ...options,
      brokers: this.options.brokers,
      clientId: this.clientId,
      logger: this.options.logger ?? silentLogger,
      onRejected: this.options.onRejected,
      onClosed: () => this.consumers.delete(consumer),
    });
    this.consumers.add(consumer);
    return consumer;
  }

  async close(): Promise<void> {
    await this.sending;
    for (const consumer of [...this.consumers]) await consumer.close();
    await this.producer.close();
    await this.admin.close();
  }

  private async sendInOrder(topic: string, records: OutgoingRecord[]): Promise<void> {
    const partitions = await this.partitionCount(topic);
    let chunk: Parameters<Producer['send']>[0]['messages'] = [];
    let bytes = 0;
    for (const record of records) {
      const key = Buffer.from(record.key);
      const value = encodeValue(record.value);
      if (bytes + key.length + value.length > MAX_REQUEST_BYTES && chunk.length > 0) {
        await this.producer.send({ messages: chunk });
        chunk = [];
        bytes = 0;
      }
      chunk.push({
        topic,
        key,
        value,
        partition: partitionFor(record.key, partitions),
        // The event's own time: seekToTimestamp and retention work in event time.
        timestamp: BigInt(record.timestamp ?? record.value.ts),
      });
      bytes += key.length + value.length;
    }
    if (chunk.length > 0) await this.producer.send({ messages: chunk });
  }

  /**
   * The topic's partition count, from the brokers' metadata. A topic another process has just
   * created (CreateTopics said "already exists" to us) can take a moment to show in metadata:
   * ask again for a while before calling it missing.
   */
  private async partitionCount(topic: string): Promise<number> {
    const known = this.partitionCounts.get(topic);
    if (known !== undefined) return known;
    const deadline = Date.now() + TOPIC_METADATA_WAIT_MS;
    for (let wait = 50; ; wait = Math.min(1_000, wait * 2)) {
      const count = await this.metadataPartitionCount(topic);
      if (count !== undefined) {
        this.partitionCounts.set(topic, count);
        return count;
      }
      if (Date.now() >= deadline) throw new Error(`unknown topic ${topic}: create it first`);
      await sleep(wait);
    }
  }

  private async metadataPartitionCount(topic: string): Promise<number | undefined> {
    const metadata = await this.producer
      .metadata({ topics: [topic], retries: 0, autocreateTopics: false })
      .catch((error: unknown) => {
        // The client names a missing topic in its message, or passes on Kafka's error for it.
        const missing =
          mentions(error, 'UNKNOWN_TOPIC_OR_PARTITION') || /unknown topic/i.test(String(error));
        if (missing) return undefined;
        throw error;
      });
    return metadata?.topics.get(topic)?.partitionsCount;
  }
}
