// A consumer-group member on Kafka with the in-process log's poll model: this class owns its
// positions and fetches from them (the client's own streams own theirs and commit on a timer),
// so a seek moves exactly one partition and nothing is committed that was not asked to be.
//
// Group membership (join, heartbeats, rejoin on a rebalance) is the client's; each new
// assignment is applied as the in-process log does it, eagerly: every partition is revoked,
// then the new set is assigned at the group's committed offsets. Records polled but not
// committed before a rebalance are delivered again, to whichever member gets the partition.
import { Consumer, type GroupAssignment, type KafkaRecord } from '@platformatic/kafka';
import type {
  ConsumerOptions,
  LogConsumer,
  LogRecord,
  PollOptions,
  TopicPartition,
  TopicPartitionOffset,
} from '../event-log.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../ops/logger.ts';
import { mentions } from './kafka-errors.ts';
import { rangeAssigner } from './range-assigner.ts';
import { decodeValue } from './record-codec.ts';

export interface KafkaConsumerOptions extends ConsumerOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  onRejected?: () => void;
  onClosed?: () => void;
}

/** Kafka's ListOffsets timestamps for "the end of the partition" and "its first record". */
const LATEST = -1n;
const EARLIEST = -2n;
/** Per partition and fetch: enough for a batch of thousands of chat events. */
const PARTITION_MAX_BYTES = 1024 * 1024;
const FETCH_MAX_BYTES = 16 * 1024 * 1024;
/** Group timings: a member that stops heartbeating is replaced within the session timeout. */
const SESSION_TIMEOUT_MS = 10_000;
const HEARTBEAT_INTERVAL_MS = 1_000;
const REBALANCE_TIMEOUT_MS = 30_000;

/** Fetched records of one partition not yet handed out, and the offset after the last fetched. */
interface Fetched {
  records: LogRecord[];
  next: number;
}

const key = (tp: TopicPartition): string => `${tp.topic}/${tp.partition}`;

export class KafkaLogConsumer implements LogConsumer {
  private readonly client: Consumer;
  private readonly options: KafkaConsumerOptions;
  /** Next offset to hand out, per assigned partition. */
  private readonly positions = new Map<string, TopicPartitionOffset>();
  private readonly fetched = new Map<string, Fetched>();
  /** Assignment changes run one at a time and polls wait for them. */
  private assigning: Promise<void> = Promise.resolve();
  /** The fetch on its way, if any: one at a time, started by a poll or read ahead after one. */
  private fetching: Promise<void> | null = null;
  /** What a fetch read ahead failed with, for the next poll to throw. */
  private fetchError: unknown = undefined;
  private closed = false;

  private constructor(client: Consumer, options: KafkaConsumerOptions) {
    this.client = client;
    this.options = options;
  }

  static async join(options: KafkaConsumerOptions): Promise<KafkaLogConsumer> {
    const client = new Consumer({
      clientId: options.clientId,
      bootstrapBrokers: options.brokers,
      groupId: options.groupId,
      sessionTimeout: SESSION_TIMEOUT_MS,
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
      rebalanceTimeout: REBALANCE_TIMEOUT_MS,
    });
    const consumer = new KafkaLogConsumer(client, options);
    client.on('consumer:group:join', ({ assignments }) => consumer.reassign(assignments ?? []));
    // The client rejoins by itself after a lost heartbeat; a failure there is reported here.
    client.on('error', (error: Error) =>
      options.logger.error({ err: error, group: options.groupId }, 'Kafka consumer error'),
    );
    client.topics.trackAll(...options.topics);
    await client.joinGroup({ partitionAssigner: rangeAssigner });
    await consumer.assigning;
    return consumer;
  }

  async poll({ maxRecords, maxWaitMs, signal }: PollOptions): Promise<LogRecord[]> {
    await this.assigning;
    this.throwFetchError();
    let ready = this.take(maxRecords);
    // A read ahead on its way first (it does not wait on the broker), then a fetch that may.
    for (const waitMs of [null, maxWaitMs]) {
      if (ready.length > 0 || this.closed || signal?.aborted) break;
      if (waitMs === null && (this.fetching === null || this.positions.size === 0)) continue;
      // A member without partitions (more members than partitions) still waits like a fetch.
      // A stop must not wait for the broker's long poll: what it still brings is kept but never
      // handed out, and positions only move when records are handed out.
      if (this.positions.size === 0) await untilAborted(sleep(maxWaitMs), signal);
      else await untilAborted(this.fetching ?? this.startFetch(maxWaitMs), signal);
      this.throwFetchError();
      ready = this.take(maxRecords);
    }
    // Read ahead while the caller works on this batch: the partitions it emptied are fetched
    // now rather than at the next poll, which would otherwise wait a round trip to the broker.
    // Without waiting on the broker: an idle partition must not hold up the busy ones.
    if (!this.closed && this.hasUnbuffered()) void this.startFetch(0);
    return ready;
  }

  async commit(positions?: TopicPartitionOffset[]): Promise<void> {
    await this.assigning;
    // A partition that moved to another member is theirs to commit now.
    const owned = (positions ?? [...this.positions.values()]).filter((position) =>
      this.positions.has(key(position)),
    );
    if (owned.length === 0) return;
    await this.client.commit({
      offsets: owned.map(({ topic, partition, offset }) => ({
        topic,
        partition,
        offset: BigInt(offset),
        leaderEpoch: -1,
      })),
    });
  }

  seek(position: TopicPartitionOffset): void {
    const current = this.positions.get(key(position));
    if (!current) throw new Error(`cannot seek ${key(position)}: not assigned to this consumer`);
    current.offset = position.offset;
    this.fetched.delete(key(position));
  }

  async seekToTimestamp(timestamp: number, partitions = this.assignment()): Promise<void> {
    const found = await this.offsets(partitions, BigInt(timestamp));
    // No record at or after the time: Kafka answers -1, and the position is the end.
    const missing = partitions.filter((tp) => found.get(key(tp)) === -1);
    const ends =
      missing.length > 0 ? await this.offsets(missing, LATEST) : new Map<string, number>();
    // A rebalance that began while the offsets were asked for has cleared the positions and is
    // still fetching the new ones: seek once it is done (and onAssign has told the caller), so
    // only a partition that really moved away is "not assigned".
    await this.assigning;
    for (const tp of partitions) {
      const offset = found.get(key(tp));
      this.seek({
        ...tp,
        offset: offset === -1 || offset === undefined ? ends.get(key(tp))! : offset,
      });
    }
  }

  assignment(): TopicPartition[] {
    return [...this.positions.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  async lag(): Promise<number> {
    const positions = [...this.positions.values()];
    if (positions.length === 0) return 0;
    const ends = await this.offsets(positions, LATEST);
    let total = 0;
    for (const position of positions)
      total += Math.max(0, (ends.get(key(position)) ?? 0) - position.offset);
    return total;
  }

  /** Leaves the group, so the others take over its partitions at once, not after a timeout. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.assigning.catch(() => {});
    await this.client.close();
    this.options.onClosed?.();
  }

  // ---- assignment ----

  private reassign(assignments: GroupAssignment[]): void {
    const next = assignments.flatMap(({ topic, partitions }) =>
      partitions.map((partition) => ({ topic, partition })),
    );
    this.assigning = this.assigning
      .then(async () => {
        const revoked = this.assignment();
        if (revoked.length > 0) await this.options.onRevoke?.(revoked);
        this.positions.clear();
        this.fetched.clear();
        if (this.closed) return;
        if (next.length > 0)
          for (const position of await this.startPositions(next))
            this.positions.set(key(position), position);
        await this.options.onAssign?.(next);
      })
      .catch((error: unknown) => {
        this.options.logger.error(
          { err: error, group: this.options.groupId },
          'applying a new assignment failed',
        );
      });
  }

  /** The group's committed offsets; where it has none, the start or the end (auto.offset.reset). */
  private async startPositions(partitions: TopicPartition[]): Promise<TopicPartitionOffset[]> {
    const byTopic = Map.groupBy(partitions, (tp) => tp.topic);
    const committed = await this.client.listCommittedOffsets({
      topics: [...byTopic].map(([topic, tps]) => ({
        topic,
        partitions: tps.map((tp) => tp.partition),
      })),
    });
    const fresh = partitions.filter((tp) => (committed.get(tp.topic)?.[tp.partition] ?? -1n) < 0n);
    const resets =
      fresh.length > 0
        ? await this.offsets(fresh, this.options.fromBeginning === false ? LATEST : EARLIEST)
        : new Map<string, number>();
    return partitions.map((tp) => {
      const offset = committed.get(tp.topic)?.[tp.partition] ?? -1n;
      return { ...tp, offset: offset >= 0n ? Number(offset) : resets.get(key(tp))! };
    });
  }

  // ---- fetching ----

  private startFetch(maxWaitMs: number): Promise<void> {
    this.fetching ??= this.fetch(maxWaitMs)
      .catch((error: unknown) => {
        this.fetchError = error;
      })
      .finally(() => {
        this.fetching = null;
      });
    return this.fetching;
  }

  private throwFetchError(): void {
    const error = this.fetchError;
    this.fetchError = undefined;
    if (error !== undefined && !this.closed) throw error;
  }

  private hasUnbuffered(): boolean {
    for (const name of this.positions.keys()) if (!this.fetched.has(name)) return true;
    return false;
  }

  /**
   * One fetch per partition leader for the partitions with nothing fetched, waiting up to
   * `maxWaitMs` on the broker for new records.
   */
  private async fetch(maxWaitMs: number): Promise<void> {
    const metadata = await this.client.metadata({ topics: this.options.topics });
    const byLeader = new Map<number, TopicPartitionOffset[]>();
    for (const position of this.positions.values()) {
      if (this.fetched.has(key(position))) continue;
      const leader = metadata.topics.get(position.topic)?.partitions[position.partition]?.leader;
      if (leader === undefined) continue;
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), { ...position }]);
    }
    const topicNames = new Map([...metadata.topics].map(([name, topic]) => [topic.id, name]));
    const fetches = [...byLeader].map(async ([node, requested]) => {
      const response = await this.client.fetch({
        node,
        maxWaitTime: maxWaitMs,
        minBytes: 1,
        maxBytes: FETCH_MAX_BYTES,
        topics: [...Map.groupBy(requested, (tp) => tp.topic)].map(([topic, tps]) => ({
          topicId: metadata.topics.get(topic)!.id,
          partitions: tps.map((tp) => ({
            partition: tp.partition,
            fetchOffset: BigInt(tp.offset),
            partitionMaxBytes: PARTITION_MAX_BYTES,
            currentLeaderEpoch: -1,
            lastFetchedEpoch: -1,
            logStartOffset: -1n,
          })),
        })),
      });
      for (const { topicId, partitions } of response.responses) {
        const topic = topicNames.get(topicId);
        if (topic === undefined) continue;
        for (const { partitionIndex, records } of partitions) {
          const asked = requested.find(
            (tp) => tp.topic === topic && tp.partition === partitionIndex,
          );
          if (asked) this.keep(asked, records ?? []);
        }
      }
    });
    await Promise.all(fetches).catch((error: unknown) => this.recoverFetch(error));
  }

  /** A position before the partition's first record (retention deleted it) moves to that record. */
  private async recoverFetch(error: unknown): Promise<void> {
    if (!mentions(error, 'OFFSET_OUT_OF_RANGE')) throw error;
    const positions = [...this.positions.values()];
    const starts = await this.offsets(positions, EARLIEST);
    for (const position of positions) {
      const start = starts.get(key(position)) ?? 0;
      if (position.offset >= start) continue;
      this.options.logger.warn(
        { topic: position.topic, partition: position.partition, from: position.offset, to: start },
        'position was deleted by retention; continuing from the first record still kept',
      );
      this.seek({ ...position, offset: start });
    }
  }

  /** Keeps what a fetch from `asked` returned, unless the partition was sought or moved meanwhile. */
  private keep(asked: TopicPartitionOffset, batches: Batches): void {
    const position = this.positions.get(key(asked));
    if (!position || position.offset !== asked.offset || this.fetched.has(key(asked))) return;
    const { records, next } = recordsOf(asked, batches, (record, offset, reason) => {
      this.options.onRejected?.();
      this.options.logger.warn(
        {
          topic: asked.topic,
          partition: asked.partition,
          offset,
          reason,
          bytes: record.value?.length,
        },
        'skipping a record that is not a valid event',
      );
    });
    if (next > asked.offset) this.fetched.set(key(asked), { records, next });
  }

  /** Round-robin over partitions so one busy channel cannot starve the others. */
  private take(maxRecords: number): LogRecord[] {
    const batch: LogRecord[] = [];
    const share = Math.max(1, Math.ceil(maxRecords / Math.max(1, this.fetched.size)));
    for (let progress = true; progress && batch.length < maxRecords;) {
      progress = false;
      for (const [name, fetched] of this.fetched) {
        const position = this.positions.get(name)!;
        const room = Math.min(share, maxRecords - batch.length);
        if (room <= 0) break;
        const taken = fetched.records.splice(0, room);
        batch.push(...taken);
        if (fetched.records.length === 0) {
          // Past skipped records and transaction markers too, not just the last one handed out.
          position.offset = fetched.next;
          this.fetched.delete(name);
        } else {
          position.offset = taken[taken.length - 1]!.offset + 1;
        }
        progress ||= taken.length > 0;
      }
    }
    return batch;
  }

  private async offsets(
    partitions: TopicPartition[],
    timestamp: bigint,
  ): Promise<Map<string, number>> {
    const byTopic = Map.groupBy(partitions, (tp) => tp.topic);
    const found = await this.client.listOffsets({
      topics: [...byTopic.keys()],
      partitions: Object.fromEntries(
        [...byTopic].map(([topic, tps]) => [topic, tps.map((tp) => tp.partition)]),
      ),
      timestamp,
    });
    return new Map(
      partitions.map((tp) => [key(tp), Number(found.get(tp.topic)?.[tp.partition] ?? -1n)]),
    );
  }
}

type Batches = NonNullable<
  Awaited<ReturnType<Consumer['fetch']>>['responses'][number]['partitions'][number]['records']
>;

/** Decoded records of a fetch from `asked.offset` on, and the offset after the last one fetched. */
function recordsOf(
  asked: TopicPartitionOffset,
  batches: Batches,
  reject: (record: KafkaRecord, offset: number, reason: string) => void,
): Fetched {
  const records: LogRecord[] = [];
  let next = asked.offset;
  for (const batch of batches) {
    next = Math.max(next, Number(batch.firstOffset) + batch.lastOffsetDelta + 1);
    const isControl = (batch.attributes & 0b10_0000) !== 0;
    if (isControl) continue;
    for (const record of batch.records) {
      const offset = Number(batch.firstOffset) + record.offsetDelta;
      // A fetch returns whole batches: records before the asked offset were handed out already.
      if (offset < asked.offset) continue;
      const decoded = decodeValue(record);
      if (!decoded.ok) {
        reject(record, offset, decoded.reason);
        continue;
      }
      records.push({
        topic: asked.topic,
        partition: asked.partition,
        offset,
        key: record.key?.toString('utf8') ?? decoded.event.channel_id,
        value: decoded.event,
        timestamp: Number(batch.firstTimestamp + record.timestampDelta),
      });
    }
  }
  return { records, next };
}

/** Waits for `work`, or less when `signal` aborts (the work goes on, its outcome unobserved). */
async function untilAborted(work: Promise<unknown>, signal?: AbortSignal): Promise<void> {
  if (!signal) {
    await work;
    return;
  }
  let onAbort = (): void => {};
  const abort = new Promise<void>((resolve) => {
    onAbort = resolve;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  work.catch(() => {});
  try {
    await Promise.race([work, abort]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
