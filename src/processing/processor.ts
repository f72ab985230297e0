// The processing role: reads the event log, runs the detection engine, writes moments, live
// metrics and stream state to storage, and only then commits its log positions.
import type { Lifecycle, Viewers } from '../events/schema.ts';
import type { EventLog, LogConsumer, LogRecord } from '../log/event-log.ts';
import { CHAT_TOPIC, TOPICS } from '../log/topics.ts';
import type { Logger } from '../ops/logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { Store } from '../storage/store.ts';
import { DetectionEngine, type EngineOptions } from './detection-engine.ts';
import { PartitionWatermark } from './partition-watermark.ts';
import { sleep } from '../ops/sleep.ts';
import { clipCandidates } from '../clips/clip-candidate.ts';

export interface ProcessorOptions {
  log: EventLog;
  store: Store;
  metrics: Metrics;
  logger: Logger;
  engine?: EngineOptions;
  groupId?: string;
  /** Records per poll: large enough to batch database writes, small enough to stay live. */
  batchSize?: number;
  /** Processing time, only to tell an idle partition from a slow one (see partition-watermark.ts). */
  clock?: () => number;
  /**
   * Clipping on: moments scoring at least `minScore` go to the clip outbox with their batch,
   * as soon as their peak has passed; `recorded` is told after each batch that added some.
   */
  clips?: { minScore: number; recorded?: () => void };
}

export class Processor {
  private readonly options: ProcessorOptions;
  private readonly engine: DetectionEngine;
  private consumer: LogConsumer | null = null;
  private loop: Promise<void> | null = null;
  private readonly abort = new AbortController();
  private readonly watermark = new PartitionWatermark();
  private failure: Error | null = null;
  private lateCounted = 0;

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
    });
    this.loop = this.run(this.consumer);
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
    await this.consumer?.close();
  }

  private async run(consumer: LogConsumer): Promise<void> {
    const batchSize = this.options.batchSize ?? 5_000;
    while (!this.abort.signal.aborted) {
      const records = await consumer.poll({
        maxRecords: batchSize,
        maxWaitMs: 500,
        signal: this.abort.signal,
      });
      if (records.length === 0) continue;
      await this.processWithRetry(records);
      await consumer.commit();
      this.options.metrics.consumerLag.set({ topic: 'all' }, await consumer.lag());
    }
  }

  /** Storage outages must not lose the batch: retry with back-off until it is written. */
  private async processWithRetry(records: LogRecord[]): Promise<void> {
    const pending = this.apply(records);
    for (let attempt = 1; !this.abort.signal.aborted; attempt++) {
      try {
        await this.persist(pending);
        this.failure = null;
        if (pending.clipCandidates.length > 0) this.options.clips?.recorded?.();
        return;
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
  }

  private apply(records: LogRecord[]) {
    const lifecycle: Lifecycle[] = [];
    const viewers: Viewers[] = [];
    const now = (this.options.clock ?? Date.now)();
    for (const { value: event, topic, partition } of records) {
      this.engine.ingest(event);
      // Lifecycle and viewer events are sparse: only chat partitions say how far time has come.
      if (topic === CHAT_TOPIC) this.watermark.observe(`${topic}/${partition}`, event.ts, now);
      if (event.type === 'lifecycle') lifecycle.push(event);
      else if (event.type === 'viewers') viewers.push(event);
    }
    // Event time, not the wall clock: a replay of old data behaves exactly like the live run.
    this.engine.advanceTo(this.watermark.current(now));
    const { moments, peaks, metrics } = this.engine.drain();
    const clips = this.options.clips;
    const clipCandidatesFound =
      clips === undefined ? [] : clipCandidates([...peaks, ...moments], clips.minScore);
    const counters = this.engine.counters();
    this.options.metrics.eventsProcessed.inc(records.length);
    this.options.metrics.momentsDetected.inc(moments.length);
    this.options.metrics.activeChannels.set(counters.channels);
    this.options.metrics.lateEvents.inc(counters.late - this.lateCounted);
    this.lateCounted = counters.late;
    return { lifecycle, viewers, moments, metrics, clipCandidates: clipCandidatesFound };
  }

  private async persist(batch: ReturnType<Processor['apply']>): Promise<void> {
    const { store, metrics } = this.options;
    const timer = metrics.storageWriteSeconds.startTimer();
    // Streams first: moments and metrics refer to the channels they create.
    if (batch.lifecycle.length > 0) await store.applyLifecycle(batch.lifecycle);
    if (batch.viewers.length > 0) await store.recordViewers(batch.viewers);
    if (batch.metrics.length > 0) await store.saveMetrics(batch.metrics);
    if (batch.moments.length > 0) await store.saveMoments(batch.moments);
    if (batch.clipCandidates.length > 0) await store.recordClipCandidates(batch.clipCandidates);
    timer();
  }
}
