// An event log whose topics and consumer groups carry a prefix on the way in and lose it on the
// way out: deployments (or test runs) sharing one Kafka cluster stay apart, while the code
// above keeps the public topic names (KAFKA_TOPIC_PREFIX).
import type {
  EventLog,
  LogConsumer,
  LogRecord,
  OutgoingRecord,
  PollOptions,
  TopicPartition,
  TopicPartitionOffset,
  ConsumerOptions,
} from './event-log.ts';

export class PrefixedEventLog implements EventLog {
  private readonly inner: EventLog;
  private readonly prefix: string;

  constructor(inner: EventLog, prefix: string) {
    this.inner = inner;
    this.prefix = prefix;
  }

  createTopic(topic: string, partitions: number): Promise<void> {
    return this.inner.createTopic(this.prefix + topic, partitions);
  }

  send(topic: string, records: OutgoingRecord[]): Promise<void> {
    return this.inner.send(this.prefix + topic, records);
  }

  async consumer(options: ConsumerOptions): Promise<LogConsumer> {
    const { onAssign, onRevoke } = options;
    const inner = await this.inner.consumer({
      ...options,
      groupId: this.prefix + options.groupId,
      topics: options.topics.map((topic) => this.prefix + topic),
      ...(onAssign && { onAssign: (tps: TopicPartition[]) => onAssign(tps.map(this.out)) }),
      ...(onRevoke && { onRevoke: (tps: TopicPartition[]) => onRevoke(tps.map(this.out)) }),
    });
    return new PrefixedConsumer(inner, this.in, this.out);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private readonly in = <T extends TopicPartition>(tp: T): T => ({
    ...tp,
    topic: this.prefix + tp.topic,
  });

  private readonly out = <T extends TopicPartition>(tp: T): T => ({
    ...tp,
    topic: tp.topic.slice(this.prefix.length),
  });
}

type Rename = <T extends TopicPartition>(tp: T) => T;

class PrefixedConsumer implements LogConsumer {
  private readonly inner: LogConsumer;
  private readonly in: Rename;
  private readonly out: Rename;

  constructor(inner: LogConsumer, rename: Rename, back: Rename) {
    this.inner = inner;
    this.in = rename;
    this.out = back;
  }

  async poll(options: PollOptions): Promise<LogRecord[]> {
    return (await this.inner.poll(options)).map(this.out);
  }

  commit(positions?: TopicPartitionOffset[]): Promise<void> {
    return this.inner.commit(positions?.map(this.in));
  }

  seek(position: TopicPartitionOffset): void {
    this.inner.seek(this.in(position));
  }

  seekToTimestamp(timestamp: number, partitions?: TopicPartition[]): Promise<void> {
    return this.inner.seekToTimestamp(timestamp, partitions?.map(this.in));
  }

  assignment(): TopicPartition[] {
    return this.inner.assignment().map(this.out);
  }

  lag(): Promise<number> {
    return this.inner.lag();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
