// The event log of distributed mode: Kafka through @platformatic/kafka (pure TypeScript).
// Records go out through idempotent producers (acks=all: a record is acknowledged once every
// in-sync replica has it, and a retried batch is never written twice; several lanes, each owning
// a share of the partitions, so several requests are in flight), placed by our own
// murmur2 partitioner, which is Kafka's default: a channel lands in the same partition number
// as in the in-process log and as with any other Kafka client.
import { Admin } from '@platformatic/kafka';
import type { ConsumerOptions, EventLog, LogConsumer, OutgoingRecord } from '../event-log.ts';
import { partitionFor } from '../partitioner.ts';
import { KAFKA_TOPIC_DEFAULTS } from '../topics.ts';
import { silentLogger, type Logger } from '../../ops/logger.ts';
import { KafkaLogConsumer } from './kafka-consumer.ts';
import { mentions } from './kafka-errors.ts';
import { ProducerLane, type LaneMessage } from './producer-lane.ts';
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
 * Producers per log, partition p going to lane p % PRODUCER_LANES. More lanes, more requests in
 * flight (and more connections and producer ids); measured with `npm run bench:e2e`.
 */
const PRODUCER_LANES = 4;
const TOPIC_ALREADY_EXISTS = 'TOPIC_ALREADY_EXISTS';
/**
 * Keys whose bytes and partition are remembered (a channel id is the key of every record of its
 * chat). Past this many, the memory starts over: a bound, not a cache policy worth more code.
 */
const PLACED_KEYS_MAX = 100_000;
/** How long a topic may take to appear in metadata after it was created. */
const TOPIC_METADATA_WAIT_MS = 10_000;

interface PlacedKey {
  bytes: Buffer;
  partition: number;
}

export class KafkaEventLog implements EventLog {
  private readonly options: KafkaEventLogOptions;
  private readonly clientId: string;
  private readonly admin: Admin;
  private readonly lanes: ProducerLane[];
  private readonly partitionCounts = new Map<string, number>();
  /** Per topic, each key's bytes and partition: hashing them again for every record cost ~1 µs. */
  private readonly placedKeys = new Map<string, Map<string, PlacedKey>>();
  private readonly consumers = new Set<KafkaLogConsumer>();
  /**
   * Sends are handed to their lanes one after another, in the order `send` was called (a send
   * may first wait for its topic's metadata), so each partition keeps that order; the lanes'
   * requests then overlap, within a send and across sends.
   */
  private queueing: Promise<unknown> = Promise.resolve();

  constructor(options: KafkaEventLogOptions) {
    this.options = options;
    this.clientId = options.clientId ?? 'streamscout';
    const base = { clientId: this.clientId, bootstrapBrokers: options.brokers };
    this.admin = new Admin(base);
    this.lanes = Array.from({ length: PRODUCER_LANES }, () => new ProducerLane(base));
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
    const queued = this.queueing.then(() => this.enqueue(topic, records));
    this.queueing = queued.catch(() => {});
    await Promise.all(await queued);
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
    await this.queueing;
    for (const consumer of [...this.consumers]) await consumer.close();
    for (const lane of this.lanes) await lane.close();
    await this.admin.close();
  }

  /** Encodes and places the records, queues each lane's share; the sends are returned. */
  private async enqueue(topic: string, records: OutgoingRecord[]): Promise<Promise<void>[]> {
    const partitions = await this.partitionCount(topic);
    const placed = this.placedKeysOf(topic);
    const byLane: LaneMessage[][] = this.lanes.map(() => []);
    for (const record of records) {
      let place = placed.get(record.key);
      if (place === undefined) {
        if (placed.size >= PLACED_KEYS_MAX) placed.clear();
        place = { bytes: Buffer.from(record.key), partition: partitionFor(record.key, partitions) };
        placed.set(record.key, place);
      }
      const { partition } = place;
      byLane[partition % this.lanes.length]!.push({
        topic,
        // Shared by the records of one key: the client only reads it.
        key: place.bytes,
        value: encodeValue(record.value),
        partition,
        // The event's own time: seekToTimestamp and retention work in event time.
        timestamp: BigInt(record.timestamp ?? record.value.ts),
      });
    }
    const sends: Promise<void>[] = [];
    byLane.forEach((messages, lane) => {
      if (messages.length > 0) sends.push(this.lanes[lane]!.enqueue(messages));
    });
    return sends;
  }

  private placedKeysOf(topic: string): Map<string, PlacedKey> {
    let placed = this.placedKeys.get(topic);
    if (placed === undefined) this.placedKeys.set(topic, (placed = new Map()));
    return placed;
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
    const metadata = await this.lanes[0]!.producer.metadata({
      topics: [topic],
      retries: 0,
      autocreateTopics: false,
    }).catch((error: unknown) => {
      // The client names a missing topic in its message, or passes on Kafka's error for it.
      const missing =
        mentions(error, 'UNKNOWN_TOPIC_OR_PARTITION') || /unknown topic/i.test(String(error));
      if (missing) return undefined;
      throw error;
    });
    return metadata?.topics.get(topic)?.partitionsCount;
  }
}
