// The event log of embedded mode: in-process, partitioned, with consumer groups, committed
// offsets, seek by time and backpressure, so code written against it behaves the same on Kafka.
import type {
  ConsumerOptions,
  EventLog,
  LogConsumer,
  LogRecord,
  OutgoingRecord,
  PollOptions,
  TopicPartition,
  TopicPartitionOffset,
} from '../event-log.ts';
import { partitionFor } from '../partitioner.ts';
import { assignRange } from '../assign-range.ts';
import { Partition } from './partition.ts';

export interface MemoryEventLogOptions {
  /**
   * A producer waits while any consumer group has more than this many uncommitted records in
   * the target partition: memory stays bounded when processing is slower than the source.
   */
  maxUncommittedPerPartition?: number;
  /** Committed records kept per partition for seeking back (replays, state rebuilds). */
  retainedPerPartition?: number;
}

interface Group {
  members: MemoryConsumer[];
  committed: Map<string, number>;
  fromBeginning: boolean;
}

const key = (tp: TopicPartition): string => `${tp.topic}/${tp.partition}`;

export class MemoryEventLog implements EventLog {
  private readonly topics = new Map<string, Partition[]>();
  private readonly groups = new Map<string, Group>();
  private readonly maxUncommitted: number;
  private readonly retained: number;
  private dataWaiters = new Set<() => void>();
  private commitWaiters = new Set<() => void>();
  private closed = false;

  constructor(options: MemoryEventLogOptions = {}) {
    this.maxUncommitted = options.maxUncommittedPerPartition ?? 200_000;
    this.retained = options.retainedPerPartition ?? 100_000;
  }

  async createTopic(topic: string, partitions: number): Promise<void> {
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new Error(`topic ${topic}: partitions must be a positive integer, got ${partitions}`);
    }
    if (this.topics.has(topic)) return;
    this.topics.set(
      topic,
      Array.from({ length: partitions }, () => new Partition()),
    );
  }

  async send(topic: string, records: OutgoingRecord[]): Promise<void> {
    const partitions = this.partitionsOf(topic);
    for (const record of records) {
      const partition = partitionFor(record.key, partitions.length);
      await this.waitForRoom({ topic, partition });
      partitions[partition]!.append(record.key, record.value, record.timestamp ?? record.value.ts);
    }
    this.wake(this.dataWaiters);
  }

  async consumer(options: ConsumerOptions): Promise<LogConsumer> {
    for (const topic of options.topics) this.partitionsOf(topic);
    const group = this.groupOf(options);
    const consumer = new MemoryConsumer(this, options);
    group.members.push(consumer);
    await this.rebalance(group, options.topics);
    return consumer;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake(this.dataWaiters);
    this.wake(this.commitWaiters);
  }

  // ---- used by MemoryConsumer ----

  partitionsOf(topic: string): Partition[] {
    const partitions = this.topics.get(topic);
    if (!partitions) throw new Error(`unknown topic ${topic}: create it first`);
    return partitions;
  }

  read(tp: TopicPartition, from: number, max: number): LogRecord[] {
    return this.partitionsOf(tp.topic)[tp.partition]!.read(tp, from, max);
  }

  committedOffset(groupId: string, tp: TopicPartition): number | undefined {
    return this.groups.get(groupId)?.committed.get(key(tp));
  }

  startPosition(groupId: string, tp: TopicPartition): number {
    const partition = this.partitionsOf(tp.topic)[tp.partition]!;
    const committed = this.committedOffset(groupId, tp);
    if (committed !== undefined) return Math.max(committed, partition.startOffset);
    return this.groups.get(groupId)?.fromBeginning === false
      ? partition.endOffset
      : partition.startOffset;
  }

  commit(groupId: string, positions: TopicPartitionOffset[]): void {
    const group = this.groups.get(groupId);
    if (!group) return;
    for (const position of positions) {
      const previous = group.committed.get(key(position)) ?? -1;
      if (position.offset > previous) group.committed.set(key(position), position.offset);
      this.trim(position);
    }
    this.wake(this.commitWaiters);
  }

  offsetForTimestamp(tp: TopicPartition, timestamp: number): number {
    return this.partitionsOf(tp.topic)[tp.partition]!.offsetForTimestamp(timestamp);
  }

  endOffset(tp: TopicPartition): number {
    return this.partitionsOf(tp.topic)[tp.partition]!.endOffset;
  }

  /** Resolves when new records arrive, the log closes, or `ms` pass. */
  waitForData(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.dataWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.dataWaiters.add(done);
    });
  }

  async leave(consumer: MemoryConsumer, options: ConsumerOptions): Promise<void> {
    const group = this.groups.get(options.groupId);
    if (!group) return;
    group.members = group.members.filter((member) => member !== consumer);
    await this.rebalance(group, options.topics);
    this.wake(this.commitWaiters);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  // ---- internals ----

  private groupOf(options: ConsumerOptions): Group {
    let group = this.groups.get(options.groupId);
    if (!group) {
      group = { members: [], committed: new Map(), fromBeginning: options.fromBeginning ?? true };
      this.groups.set(options.groupId, group);
    }
    return group;
  }

  private async rebalance(group: Group, topics: string[]): Promise<void> {
    const partitions = topics.flatMap((topic) =>
      this.partitionsOf(topic).map((_, partition) => ({ topic, partition })),
    );
    const plan = assignRange(partitions, group.members.length);
    for (const member of group.members) await member.revokeAll();
    for (const [index, member] of group.members.entries()) await member.assign(plan[index] ?? []);
  }

  /** Drops committed records beyond the retention count: memory stays bounded. */
  private trim(tp: TopicPartition): void {
    const partition = this.partitionsOf(tp.topic)[tp.partition]!;
    let committedByAll = Infinity;
    for (const group of this.groups.values()) {
      committedByAll = Math.min(
        committedByAll,
        group.committed.get(key(tp)) ?? partition.startOffset,
      );
    }
    partition.trimBefore(Math.min(committedByAll, partition.endOffset - this.retained));
  }

  private async waitForRoom(tp: TopicPartition): Promise<void> {
    while (!this.closed && this.uncommitted(tp) >= this.maxUncommitted) {
      await new Promise<void>((resolve) => this.commitWaiters.add(resolve));
    }
  }

  private uncommitted(tp: TopicPartition): number {
    const partition = this.partitionsOf(tp.topic)[tp.partition]!;
    let worst = 0;
    for (const group of this.groups.values()) {
      if (group.members.length === 0) continue;
      const committed = group.committed.get(key(tp)) ?? partition.startOffset;
      worst = Math.max(worst, partition.endOffset - committed);
    }
    return worst;
  }

  private wake(waiters: Set<() => void>): void {
    const pending = [...waiters];
    waiters.clear();
    for (const resolve of pending) resolve();
  }
}

class MemoryConsumer implements LogConsumer {
  private readonly positions = new Map<string, TopicPartitionOffset>();
  private closed = false;
  private readonly log: MemoryEventLog;
  private readonly options: ConsumerOptions;

  constructor(log: MemoryEventLog, options: ConsumerOptions) {
    this.log = log;
    this.options = options;
  }

  async poll({ maxRecords, maxWaitMs, signal }: PollOptions): Promise<LogRecord[]> {
    const batch = this.take(maxRecords);
    if (batch.length > 0 || this.closed || this.log.isClosed) return batch;
    await this.log.waitForData(maxWaitMs, signal);
    return this.take(maxRecords);
  }

  async commit(positions?: TopicPartitionOffset[]): Promise<void> {
    this.log.commit(this.options.groupId, positions ?? [...this.positions.values()]);
  }

  seek(position: TopicPartitionOffset): void {
    const current = this.positions.get(key(position));
    if (!current) throw new Error(`cannot seek ${key(position)}: not assigned to this consumer`);
    current.offset = position.offset;
  }

  async seekToTimestamp(timestamp: number, partitions = this.assignment()): Promise<void> {
    for (const tp of partitions)
      this.seek({ ...tp, offset: this.log.offsetForTimestamp(tp, timestamp) });
  }

  assignment(): TopicPartition[] {
    return [...this.positions.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  async lag(): Promise<number> {
    let total = 0;
    for (const position of this.positions.values())
      total += this.log.endOffset(position) - position.offset;
    return total;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.log.leave(this, this.options);
  }

  async revokeAll(): Promise<void> {
    const revoked = this.assignment();
    if (revoked.length > 0) await this.options.onRevoke?.(revoked);
    this.positions.clear();
  }

  async assign(partitions: TopicPartition[]): Promise<void> {
    for (const tp of partitions) {
      this.positions.set(key(tp), {
        ...tp,
        offset: this.log.startPosition(this.options.groupId, tp),
      });
    }
    if (!this.closed) await this.options.onAssign?.(partitions);
  }

  /** Round-robin over partitions so one busy channel cannot starve the others. */
  private take(maxRecords: number): LogRecord[] {
    const batch: LogRecord[] = [];
    const positions = [...this.positions.values()];
    const share = Math.max(1, Math.ceil(maxRecords / Math.max(1, positions.length)));
    for (let progress = true; progress && batch.length < maxRecords;) {
      progress = false;
      for (const position of positions) {
        const room = Math.min(share, maxRecords - batch.length);
        if (room <= 0) break;
        const records = this.log.read(position, position.offset, room);
        if (records.length === 0) continue;
        position.offset = records[records.length - 1]!.offset + 1;
        batch.push(...records);
        progress = true;
      }
    }
    return batch;
  }
}
