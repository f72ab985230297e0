// A processor that takes over partitions rebuilds detector state from the log before it writes
// anything (src/processing/processor.ts): what two owners one after the other store is what one
// offline run finds, each moment once, and a moment both owners saw is queued for a clip once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClipCandidate } from '../../src/clips/clip-candidate.ts';
import { MemoryEventLog } from '../../src/log/memory/memory-event-log.ts';
import { TOPICS } from '../../src/log/topics.ts';
import { silentLogger } from '../../src/ops/logger.ts';
import { Metrics } from '../../src/ops/metrics.ts';
import {
  DEFAULT_DETECTOR_PARAMS,
  stateRebuildWindowMs,
} from '../../src/processing/detector-params.ts';
import type { Moment } from '../../src/processing/moment.ts';
import { detectMoments } from '../../src/processing/offline-detection.ts';
import { Processor } from '../../src/processing/processor.ts';
import { EventPublisher } from '../../src/sources/event-publisher.ts';
import { ChatSimulator } from '../../src/sources/simulator/chat-simulator.ts';
import { createDatabase } from '../../src/storage/database.ts';
import type { Store } from '../../src/storage/store.ts';
import { openTestStore, type TestStore } from '../support/store.ts';

const START = Date.parse('2026-02-01T18:00:00Z');
const END = START + 34 * 60_000;
const MIN_CLIP_SCORE = 4;

let testStore: TestStore;
let log: MemoryEventLog;

beforeEach(async () => {
  testStore = await openTestStore();
  log = new MemoryEventLog();
  for (const topic of TOPICS) await log.createTopic(topic, 4);
});

afterEach(async () => {
  await log.close();
  await testStore.dispose();
});

/** A processor over `log`, and the clip candidates it recorded. */
function processor(store: Store): { processor: Processor; metrics: Metrics; clips: string[] } {
  const clips: string[] = [];
  // The store as it is (its private fields need `this` to be the store), clip candidates noted.
  const spied = new Proxy(store, {
    get(target, property) {
      if (property === 'recordClipCandidates')
        return async (candidates: ClipCandidate[]) => {
          clips.push(...candidates.map((candidate) => candidate.moment_id));
          await target.recordClipCandidates(candidates);
        };
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  const metrics = new Metrics({ defaults: false });
  const created = new Processor({
    log,
    store: spied,
    metrics,
    logger: silentLogger,
    groupId: 'processors',
    clips: { minScore: MIN_CLIP_SCORE },
  });
  return { processor: created, metrics, clips };
}

async function until(done: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function counted(metrics: Metrics): Promise<number> {
  return (await metrics.eventsProcessed.get()).values[0]?.value ?? 0;
}

const shape = ({ id, start_ts, peak_ts, end_ts }: Moment) => ({ id, start_ts, peak_ts, end_ts });

describe('rebuild on assignment', () => {
  it('a processor taking over replays the partition and stores what one run finds, once', async () => {
    const { store } = testStore;
    const events = [
      ...new ChatSimulator({ seed: 21, channels: 8, startTs: START }).events(START, END),
    ];
    const reference: Moment[] = [];
    for await (const moment of detectMoments(events).moments) reference.push(moment);
    // Hand over just after a strong moment's peak was reported, before it ends: the first
    // owner queues its clip, the second reports the moment (and queues the clip again).
    const straddling = reference.find(
      (moment) =>
        moment.start_ts > START + stateRebuildWindowMs(DEFAULT_DETECTOR_PARAMS) + 60_000 &&
        moment.score >= MIN_CLIP_SCORE &&
        moment.end_ts - moment.peak_ts > 20_000,
    );
    expect(straddling).toBeDefined();
    const handover = straddling!.peak_ts + 12_000;
    const before = events.filter((event) => event.ts < handover);
    const after = events.filter((event) => event.ts >= handover);
    const publisher = new EventPublisher(log, new Metrics({ defaults: false }));

    const first = processor(store);
    await first.processor.start();
    await publisher.publish(before);
    await until(async () => (await counted(first.metrics)) >= before.length);
    await first.processor.stop();

    const second = processor(store);
    await second.processor.start();
    await publisher.publish(after);
    // The second replays the rebuild window on top of the records that are new to it.
    await until(async () => (await counted(second.metrics)) > after.length);
    await until(async () => (await second.metrics.consumerLag.get()).values[0]?.value === 0);
    await second.processor.stop();

    // Moments still open at the end are never reported live; the offline run flushes them.
    const closed = (moments: Moment[]) =>
      moments
        .filter((moment) => moment.end_ts < END - 90_000)
        .sort((a, b) => a.start_ts - b.start_ts);
    const stored = closed((await store.listMoments({ limit: 500 })).moments as unknown as Moment[]);
    const expected = closed(reference);
    expect(expected.length).toBeGreaterThan(5);
    expect(stored.map(shape)).toEqual(expected.map(shape));
    stored.forEach((moment, index) =>
      expect(Math.abs(moment.score - expected[index]!.score)).toBeLessThanOrEqual(
        0.01 * expected[index]!.score,
      ),
    );

    // The moment across the handover was queued for a clip by both owners, and is in the
    // outbox once: the outbox is keyed by moment id.
    expect(first.clips).toContain(straddling!.id);
    expect(second.clips).toContain(straddling!.id);
    const db = createDatabase({ url: testStore.url, logger: silentLogger });
    try {
      const attempts = await db.selectFrom('clip_attempts').select('moment_id').execute();
      const ids = attempts.map((attempt) => attempt.moment_id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => id === straddling!.id)).toHaveLength(1);
    } finally {
      await db.destroy();
    }
    // Nothing from the replayed stretch before the state converged was written again.
    expect(second.clips.every((id) => reference.some((moment) => moment.id === id))).toBe(true);
  }, 120_000);
});
