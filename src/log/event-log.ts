// The event log between sources and processing. Kafka semantics, whatever the implementation:
// topics split into partitions by key, records addressed by offset, consumer groups sharing
// partitions, positions committed by the consumer after its effects are durable.
import type { StreamEvent } from '../events/schema.ts';

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  /** The next offset to read (Kafka's committed-offset convention). */
  offset: number;
}

export interface LogRecord extends TopicPartitionOffset {
  key: string;
  value: StreamEvent;
  /** Producer timestamp, epoch ms: the event's own time. */
  timestamp: number;
}

export interface OutgoingRecord {
  key: string;
  value: StreamEvent;
  timestamp?: number;
}

export interface RebalanceListener {
  /** Called before partitions move away: flush what depends on them, commit. */
  onRevoke?(partitions: TopicPartition[]): Promise<void> | void;
  /**
   * Called with the whole new assignment after every rebalance (empty too): state for the
   * partitions that arrived can be rebuilt by seeking back.
   */
  onAssign?(partitions: TopicPartition[]): Promise<void> | void;
}

export interface ConsumerOptions extends RebalanceListener {
  groupId: string;
  topics: string[];
  /** Where to start when the group has no committed offset: Kafka's auto.offset.reset. */
  fromBeginning?: boolean;
}

export interface PollOptions {
  maxRecords: number;
  /** How long to wait for the first record before returning an empty batch. */
  maxWaitMs: number;
  signal?: AbortSignal;
}

export interface LogConsumer {
  poll(options: PollOptions): Promise<LogRecord[]>;
  /** Commits the given positions, or everything polled so far. */
  commit(positions?: TopicPartitionOffset[]): Promise<void>;
  seek(position: TopicPartitionOffset): void;
  /** Moves to the first offset whose timestamp is >= `timestamp` in each assigned partition. */
  seekToTimestamp(timestamp: number, partitions?: TopicPartition[]): Promise<void>;
  assignment(): TopicPartition[];
  /** Records between this consumer's positions and the end of its partitions. */
  lag(): Promise<number>;
  close(): Promise<void>;
}

export interface EventLog {
  /** Idempotent: an existing topic is left as it is. */
  createTopic(topic: string, partitions: number): Promise<void>;
  /** Resolves once the records are in the log; waits while consumers are too far behind. */
  send(topic: string, records: OutgoingRecord[]): Promise<void>;
  consumer(options: ConsumerOptions): Promise<LogConsumer>;
  close(): Promise<void>;
}
