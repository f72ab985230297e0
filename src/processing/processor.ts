// The processing role: reads the event log, runs the detection engine, writes moments, live
// metrics and stream state to storage, and only then commits its log positions.
//
// Any number of processors share the partitions through the consumer group. A chat partition
// that arrives (at start, or taken over in a rebalance) is rebuilt before anything is written
// for it: from the time of its first record back by `stateRebuildWindowMs`, the records the
// previous owner already processed are replayed into the engine, and what they produce is
// written only from the point where the state has converged (see "Rebuild on assignment" in
// docs/design.md). Moment ids are deterministic and writes are upserts, so what both owners
// write is written once.
import type { Lifecycle, StreamEvent, Viewers } from '../events/schema.ts';
import type {
  EventLog,
  LogConsumer,
  LogRecord,
  TopicPartition,
  TopicPartitionOffset,
} from '../log/event-log.ts';
import { CHAT_TOPIC, TOPICS } from '../log/topics.ts';
import type { Logger } from '../ops/logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { Store } from '../storage/store.ts';
import { DetectionEngine, type EngineOptions } from './detection-engine.ts';
import { stateConvergedAfterMs, stateRebuildWindowMs } from './detector-params.ts';
import { PartitionWatermark } from './partition-watermark.ts';
import { sleep } from '../ops/sleep.ts';
import { clipCandidates, type ClipCandidate } from '../clips/clip-candidate.ts';
import type { ChannelMetrics } from './channel-metrics.ts';
import type { Moment } from './moment.ts';

/** Pause after a failed call to the event log, before the loop tries again. */
const LOG_RETRY_MS = 1_000;
/**
 * Log positions are committed at most this often while records keep coming, and as soon as none
 * come: a commit (and the lag read with it) after every batch was most of the broker's requests
 * at live rates, where batches are small. A processor that dies replays at most this much more;
 * what it wrote again is written once (deterministic ids, upserts).
 */
const COMMIT_INTERVAL_MS = 1_000;

export interface ProcessorOptions {
  log: EventLog;
  store: Store;
  metrics: Metrics;
  logger: Logger;
  engine?: EngineOptions;
  groupId?: string;
  /** Records per poll: large enough to batch database writes, small enough to stay live. */
  batchSize?: number;
  /**
   * Processing time: tells an idle partition from a slow one, and moves event time on once every
   * partition is idle (see partition-watermark.ts).
   */
  clock?: () => number;
  /**
   * Clipping on: moments scoring at least `minScore` go to the clip outbox with their batch,
   * as soon as their peak has passed; `recorded` is told after each batch that added some.
   */
  clips?: { minScore: number; recorded?: () => void };
}

/** A chat partition being (or having been) rebuilt after it arrived. */
interface Rebuild {
  /** Records before this offset were processed by the previous owner: replayed for state only. */
  until: number;
  /** Results from before this event time come from state still converging: never written. */
  convergedFrom: number;
  startedAt: number;
  done: boolean;
}

/** What a batch (or an idle step) gives storage to write. */
interface Results {
  lifecycle: Lifecycle[];
  viewers: Viewers[];
  moments: Moment[];
  /** Moments still open: written as live rows. */
  live: Moment[];
  metrics: ChannelMetrics[];
  clipCandidates: ClipCandidate[];
}

const isEmpty = (results: Results): boolean =>
  Object.values(results).every((rows: unknown[]) => rows.length === 0);

const keyOf = (tp: TopicPartition): string => `${tp.topic}/${tp.partition}`;

export class Processor {
  private readonly options: ProcessorOptions;
  private readonly engine: DetectionEngine;
  /** Partitions assigned to this processor, by `topic/partition`. */
  private readonly owned = new Set<string>();
  /** Chat partitions assigned but not read yet: their first record says where to rebuild from. */
  private readonly awaitingRebuild = new Set<string>();
  private readonly rebuilds = new Map<string, Rebuild>();
  /** Per owned partition, the offset after the last record applied to the engine and storage. */
  private readonly applied = new Map<string, number>();
  /** The chat partition each channel in the engine was read from. */
  private readonly partitionOf = new Map<string, string>();
  /**
   * Lifecycle and viewer events of channels the engine has no chat of (yet): they travel on
   * another topic, possibly to another processor, and must not create a channel's state ahead
   * of the chat that a rebuild replays. The latest of each kind waits for the channel's chat.
   */
  private readonly heldMeta = new Map<string, { lifecycle?: Lifecycle; viewers?: Viewers }>();
  private consumer: LogConsumer | null = null;
  private loop: Promise<void> | null = null;
  private readonly abort = new AbortController();
  private readonly watermark = new PartitionWatermark();
  private failure: Error | null = null;
  private lateCounted = 0;
  /** Positions of what is written and not committed yet (see commitWritten). */
  private written: TopicPartitionOffset[] | null = null;
  private committedAt = Number.NEGATIVE_INFINITY;

  constructor(options: ProcessorOptions) {
    this.options = options;
    this.engine = new DetectionEngine(options.engine);
  }

  async start(): Promise<void> {
    this.consumer = await this.options.log.consumer({
      groupId: this.options.groupId ?? 'streamscout-processors',
      topics: [...TOPICS],
      fromBeginning: true,
      onRevoke: (partitions) => {
        for (const { topic, partition } of partitions)
          this.watermark.forget(`${topic}/${partition}`);
      },
      onAssign: (partitions) => this.assigned(partitions),
    });
    // Anything else that escapes the loop is a fault, not an outage: the process dies with it
    // (the rejection is left unhandled) rather than hold its partitions without processing
    // them; restarted, it resumes from the committed offsets.
    this.loop = this.run(this.consumer).catch((error: unknown) => {
      this.failure = error as Error;
      this.options.logger.fatal({ err: error }, 'processing stopped');
      throw error;
    });
  }

  /** For /ready: running, and the last batch did not fail. */
  get healthy(): boolean {
    return this.loop !== null && !this.abort.signal.aborted && this.failure === null;
  }

  get lastError(): string | undefined {
    return this.failure?.message;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    // What was written since the last commit, so that the next owner need not read it again.
    // Failing, nothing is lost: the next owner reads it again from the last commit.
    if (this.consumer && this.written) {
      await this.consumer.commit(this.written).catch((error: unknown) => {
        this.options.logger.warn({ err: error }, 'committing log positions at stop failed');
      });
    }
    await this.consumer?.close();
  }

  private async run(consumer: LogConsumer): Promise<void> {
    const batchSize = this.options.batchSize ?? 5_000;
    while (!this.abort.signal.aborted) {
      const records = await this.logCall('reading the event log', () =>
        consumer.poll({ maxRecords: batchSize, maxWaitMs: 500, signal: this.abort.signal }),
      );
      if (records === undefined) continue;
      // The log answers again: what failed before no longer holds back /ready, idle or not.
      this.failure = null;
      if (records.length === 0) {
        // Nothing to read: once every partition has been idle a while, event time goes on with
        // the clock (see partition-watermark.ts), so moments end even when all chat has stopped.
        // Those results come from records written already; what is left to commit goes now.
        if (!(await this.writeWithRetry(this.advance(this.now(), [], [])))) break;
        await this.commitWritten(consumer);
        continue;
      }
      const admitted = await this.admit(consumer, records);
      // Stopped before the batch was written: its positions must not be committed.
      if (admitted.length > 0 && !(await this.writeWithRetry(this.apply(admitted)))) break;
      this.written = this.committable(consumer);
      if (this.now() - this.committedAt >= COMMIT_INTERVAL_MS) await this.commitWritten(consumer);
    }
  }

  /**
   * Commits the positions of what is written (a snapshot taken after the write, so never those of
   * a batch still being written), then reads the lag for the metric. A failed commit is made good
   * by the next one: it commits these positions or later ones.
   */
  private async commitWritten(consumer: LogConsumer): Promise<void> {
    const positions = this.written;
    if (positions === null) return;
    this.written = null;
    this.committedAt = this.now();
    const committed = await this.logCall('committing log positions', async () => {
      await consumer.commit(positions);
      return true;
    });
    // Not committed: kept for the next try, unless a newer write has replaced them meanwhile.
    if (committed === undefined) this.written ??= positions;
    const lag = await this.logCall('reading the consumer lag', () => consumer.lag());
    if (lag !== undefined) this.options.metrics.consumerLag.set({ topic: 'all' }, lag);
  }

  /**
   * A call to the event log that may fail for a while (a broker restarting, a rebalance under
   * way): the failure is logged and reported (/ready), and the loop goes on after a pause
   * rather than the process dying with it. Nothing is lost: a failed poll hands out nothing
   * (positions move only with the records handed out), a failed commit is made good later.
   */
  private async logCall<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      if (this.abort.signal.aborted) return undefined;
      this.failure = error as Error;
      this.options.logger.warn({ err: error }, `${what} failed; trying again`);
      await sleep(LOG_RETRY_MS, this.abort.signal);
      return undefined;
    }
  }

  /**
   * A new assignment: partitions that left take their channels' state with them (their new
   * owner rebuilds it); chat partitions that arrived wait for their first record to rebuild.
   * One whose rebuild had not finished starts over, from its committed offset again.
   */
  private assigned(partitions: TopicPartition[]): void {
    const next = new Set(partitions.map(keyOf));
    for (const key of [...this.owned]) {
      const rebuild = this.rebuilds.get(key);
      const unfinished = this.awaitingRebuild.has(key) || (rebuild !== undefined && !rebuild.done);
      if (!next.has(key) || unfinished) this.lose(key);
    }
    for (const tp of partitions) {
      const key = keyOf(tp);
      if (this.owned.has(key)) continue;
      this.owned.add(key);
      if (tp.topic === CHAT_TOPIC) this.awaitingRebuild.add(key);
    }
  }

  private lose(key: string): void {
    this.owned.delete(key);
    this.applied.delete(key);
    this.awaitingRebuild.delete(key);
    this.rebuilds.delete(key);
    for (const [channel, partition] of this.partitionOf) {
      if (partition !== key) continue;
      this.engine.forget(channel);
      this.partitionOf.delete(channel);
    }
  }

  /**
   * The records to apply: not those of partitions that moved away meanwhile, nor those delivered
   * again after a rebalance that this processor already applied. A chat partition's first
   * record starts its rebuild: the partition is sought back and read again from there.
   */
  private async admit(consumer: LogConsumer, records: LogRecord[]): Promise<LogRecord[]> {
    const admitted: LogRecord[] = [];
    const firsts = new Map<string, LogRecord>();
    for (const record of records) {
      const key = keyOf(record);
      if (!this.owned.has(key)) continue;
      if (this.awaitingRebuild.has(key)) {
        if (!firsts.has(key)) firsts.set(key, record);
        continue;
      }
      if (record.offset < (this.applied.get(key) ?? 0)) continue;
      admitted.push(record);
    }
    const params = this.engine.params;
    const rebuildMs = stateRebuildWindowMs(params);
    for (const [key, first] of firsts) {
      const from = first.timestamp - rebuildMs;
      const tp = { topic: first.topic, partition: first.partition };
      try {
        await consumer.seekToTimestamp(from, [tp]);
      } catch (error) {
        // Moved away while seeking: the next assignment says what to do with it.
        if (!this.owned.has(key)) continue;
        throw error;
      }
      if (!this.awaitingRebuild.delete(key)) continue;
      this.rebuilds.set(key, {
        until: first.offset,
        convergedFrom: from + stateConvergedAfterMs(params),
        startedAt: Date.now(),
        done: false,
      });
      this.options.logger.info(
        { partition: key, until: first.offset, from: new Date(from).toISOString() },
        'rebuilding detector state: replaying the partition before taking it over',
      );
    }
    return admitted;
  }

  /** Positions to commit: never those of a partition still replaying what its last owner did. */
  private committable(consumer: LogConsumer): TopicPartitionOffset[] {
    const positions: TopicPartitionOffset[] = [];
    for (const tp of consumer.assignment()) {
      const key = keyOf(tp);
      const offset = this.applied.get(key);
      if (offset === undefined) continue;
      const rebuild = this.rebuilds.get(key);
      if (rebuild && offset <= rebuild.until) continue;
      if (rebuild && !rebuild.done) {
        rebuild.done = true;
        this.options.logger.info(
          { partition: key, ms: Date.now() - rebuild.startedAt },
          'detector state rebuilt; partition taken over',
        );
      }
      positions.push({ ...tp, offset });
    }
    return positions;
  }

  /** Whether a result of `channel` at event time `ts` may be written (not from a converging state). */
  private converged(channel: string, ts: number): boolean {
    const partition = this.partitionOf.get(channel);
    const rebuild = partition === undefined ? undefined : this.rebuilds.get(partition);
    return rebuild === undefined || ts >= rebuild.convergedFrom;
  }

  private ingestMeta(event: Lifecycle | Viewers): void {
    if (this.engine.has(event.channel_id)) {
      this.engine.ingest(event);
      return;
    }
    const held = this.heldMeta.get(event.channel_id) ?? {};
    if (event.type === 'lifecycle') held.lifecycle = event;
    else held.viewers = event;
    this.heldMeta.set(event.channel_id, held);
  }

  private ingestChat(event: StreamEvent, partition: string): void {
    const channel = event.channel_id;
    if (this.partitionOf.get(channel) !== partition) this.partitionOf.set(channel, partition);
    const fresh = !this.engine.has(channel);
    this.engine.ingest(event);
    const held = fresh ? this.heldMeta.get(channel) : undefined;
    if (held === undefined) return;
    this.heldMeta.delete(channel);
    if (held.lifecycle) this.engine.ingest(held.lifecycle);
    if (held.viewers) this.engine.ingest(held.viewers);
  }

  /** Storage outages must not lose the batch: retry with back-off until it is written. */
  private async writeWithRetry(pending: Results): Promise<boolean> {
    if (isEmpty(pending)) return true;
    for (let attempt = 1; !this.abort.signal.aborted; attempt++) {
      try {
        await this.persist(pending);
        this.failure = null;
        if (pending.clipCandidates.length > 0) this.options.clips?.recorded?.();
        return true;
      } catch (error) {
        this.failure = error as Error;
        const delay = Math.min(30_000, 250 * 2 ** attempt);
        this.options.logger.error(
          { err: error, attempt, delay },
          'writing processing results failed; retrying',
        );
        await sleep(delay, this.abort.signal);
      }
    }
    return false;
  }

  private apply(records: LogRecord[]): Results {
    const lifecycle: Lifecycle[] = [];
    const viewers: Viewers[] = [];
    const now = this.now();
    for (const record of records) {
      const { value: event, topic } = record;
      const key = keyOf(record);
      this.applied.set(key, record.offset + 1);
      if (event.type === 'lifecycle' || event.type === 'viewers') {
        this.ingestMeta(event);
        if (event.type === 'lifecycle') lifecycle.push(event);
        else viewers.push(event);
        continue;
      }
      this.ingestChat(event, key);
      // Lifecycle and viewer events are sparse: only chat partitions say how far time has come.
      if (topic === CHAT_TOPIC) this.watermark.observe(key, event.ts, now);
    }
    this.options.metrics.eventsProcessed.inc(records.length);
    return this.advance(now, lifecycle, viewers);
  }

  /** Moves the engine to the watermark and takes what it found, with the batch's stream events. */
  private advance(now: number, lifecycle: Lifecycle[], viewers: Viewers[]): Results {
    // Event time, not the wall clock, so a replay of old data behaves exactly like the live run;
    // only once every partition has gone idle does the clock move it on.
    this.engine.advanceTo(this.watermark.current(now));
    const drained = this.engine.drain();
    const moments = drained.moments.filter((m) => this.converged(m.channel_id, m.start_ts));
    const openings = drained.openings.filter((m) => this.converged(m.channel_id, m.start_ts));
    const peaks = drained.peaks.filter((m) => this.converged(m.channel_id, m.start_ts));
    const metrics = drained.metrics.filter((m) => this.converged(m.channel_id, m.ts));
    const clips = this.options.clips;
    const clipCandidatesFound =
      clips === undefined ? [] : clipCandidates([...peaks, ...moments], clips.minScore);
    const counters = this.engine.counters();
    this.options.metrics.momentsDetected.inc(moments.length);
    this.options.metrics.activeChannels.set(counters.channels);
    this.options.metrics.lateEvents.inc(counters.late - this.lateCounted);
    this.lateCounted = counters.late;
    // Open moments are written as they open and again at their peak (live rows), so the feed
    // shows a moment while it happens; the row written when it ends replaces them.
    const live = [...openings, ...peaks];
    return { lifecycle, viewers, moments, live, metrics, clipCandidates: clipCandidatesFound };
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  private async persist(batch: Results): Promise<void> {
    const { store, metrics } = this.options;
    const timer = metrics.storageWriteSeconds.startTimer();
    // Streams first: moments and metrics refer to the channels they create.
    if (batch.lifecycle.length > 0) await store.applyLifecycle(batch.lifecycle);
    if (batch.viewers.length > 0) await store.recordViewers(batch.viewers);
    if (batch.metrics.length > 0) await store.saveMetrics(batch.metrics);
    if (batch.moments.length > 0 || batch.live.length > 0)
      await store.saveMoments(batch.moments, batch.live);
    if (batch.clipCandidates.length > 0) await store.recordClipCandidates(batch.clipCandidates);
    timer();
  }
}
