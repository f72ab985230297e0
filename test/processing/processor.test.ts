// The processing role against the in-process log and a real PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src/events/schema.ts';
import type { EventLog, LogConsumer } from '../../src/log/event-log.ts';
import { MemoryEventLog } from '../../src/log/memory/memory-event-log.ts';
import { TOPICS } from '../../src/log/topics.ts';
import { silentLogger } from '../../src/ops/logger.ts';
import { Metrics } from '../../src/ops/metrics.ts';
import { Processor, type ProcessorOptions } from '../../src/processing/processor.ts';
import { EventPublisher } from '../../src/sources/event-publisher.ts';
import { createDatabase } from '../../src/storage/database.ts';
import type { MomentPage, Store } from '../../src/storage/store.ts';
import { chat, lcg } from '../support/chat.ts';
import { openTestStore, type TestStore } from '../support/store.ts';

const T0 = Date.parse('2026-03-01T20:00:00Z');

/** A live channel: online, viewer counts, 4 minutes of steady chat, a crowd reacting at 3:20. */
function broadcast(): StreamEvent[] {
  const random = lcg(5);
  const events: StreamEvent[] = [
    {
      v: 1,
      type: 'lifecycle',
      kind: 'online',
      channel_id: '1001',
      channel: 'alpha',
      ts: T0,
      stream_id: 's-1',
      title: 'ranked grind',
      game: 'Chess',
      language: 'en',
      started_at: T0,
    },
  ];
  for (let second = 0; second < 240; second++) {
    const ts = T0 + second * 1000;
    if (second % 60 === 0)
      events.push({
        v: 1,
        type: 'viewers',
        channel_id: '1001',
        channel: 'alpha',
        ts,
        viewers: 1500 + second,
      });
    for (let i = 0; i < 2; i++)
      events.push(
        chat({
          ts: ts + Math.floor(random() * 1000),
          user: `regular${Math.floor(random() * 300)}`,
          text: `msg ${Math.floor(random() * 1e6)}`,
        }),
      );
    if (second >= 200 && second < 208) {
      for (let i = 0; i < 15; i++)
        events.push(chat({ ts: ts + i * 60, user: `crowd${second}-${i}`, text: 'NO WAY' }));
    }
  }
  return events.sort((a, b) => a.ts - b.ts);
}

/** The moments feed once every row in it is final (moments are written live first). */
const settled = (page: MomentPage): boolean =>
  page.moments.length > 0 && page.moments.every((moment) => !moment.live);

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let testStore: TestStore;
let log: MemoryEventLog;
const running: Processor[] = [];

async function startProcessor(
  store: Store,
  groupId = 'processors',
  options: Partial<ProcessorOptions> = {},
): Promise<Processor> {
  const processor = new Processor({
    log,
    store,
    metrics: new Metrics({ defaults: false }),
    logger: silentLogger,
    groupId,
    ...options,
  });
  await processor.start();
  running.push(processor);
  return processor;
}

type Intercepted = Partial<Pick<LogConsumer, 'poll' | 'commit'>>;

/**
 * The log's consumers from here on, with `poll` and `commit` going through what `intercept`
 * gives for them (to fail or count calls); returns the log's own `consumer`, not intercepted.
 */
function interceptConsumers(intercept: (real: LogConsumer) => Intercepted): EventLog['consumer'] {
  const consumer = log.consumer.bind(log);
  log.consumer = async (options) => {
    const real = await consumer(options);
    const intercepted = intercept(real);
    return new Proxy(real, {
      get: (target, property) => {
        const own = intercepted[property as keyof Intercepted];
        if (own) return own;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  return consumer;
}

beforeEach(async () => {
  testStore = await openTestStore();
  log = new MemoryEventLog();
  for (const topic of TOPICS) await log.createTopic(topic, 4);
});

afterEach(async () => {
  for (const processor of running.splice(0)) await processor.stop();
  await log.close();
  await testStore.dispose();
});

describe('Processor', () => {
  it('turns chat on the log into stored moments, metrics and stream state', async () => {
    const { store } = testStore;
    await startProcessor(store);
    await new EventPublisher(log, new Metrics({ defaults: false })).publish(broadcast());

    const page = await eventually(
      () => store.listMoments({ limit: 10 }),
      (p) => p.moments.length > 0,
    );
    expect(page.moments).toHaveLength(1);
    expect(page.moments[0]!.channel).toBe('alpha');
    expect(page.moments[0]!.start_ts).toBeGreaterThanOrEqual(T0 + 199_000);

    const streams = await store.listStreams();
    expect(streams).toEqual([
      expect.objectContaining({ channel: 'alpha', live: true, game: 'Chess', viewers: 1680 }),
    ]);
    const metrics = await store.channelMetrics({ channel: 'alpha', limit: 100 });
    expect(metrics!.metrics.length).toBeGreaterThan(15);
  });

  it('writes a moment live when it opens, then final under the same id when it ends', async () => {
    const real = testStore.store;
    /** The moments feed as it was after each write that carried a live moment. */
    const seen: { id: string; live: boolean; end_ts: number }[][] = [];
    const recording = new Proxy(real, {
      get: (target, property) => {
        if (property === 'saveMoments') {
          const save: Store['saveMoments'] = async (moments, live) => {
            await real.saveMoments(moments, live);
            const page = await real.listMoments({ limit: 10 });
            seen.push(page.moments.map(({ id, live, end_ts }) => ({ id, live, end_ts })));
          };
          return save;
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    // Small batches: the opening, the peak and the end come with different batches, as live.
    await startProcessor(recording, 'processors', { batchSize: 20 });
    await new EventPublisher(log, new Metrics({ defaults: false })).publish(broadcast());
    // Batches of 20 make many writes: on a loaded machine this takes longer than most tests.
    const page = await eventually(() => real.listMoments({ limit: 10 }), settled, 40_000);
    expect(settled(page)).toBe(true);
    expect(page.moments).toHaveLength(1);
    const [final] = page.moments;
    // The recording of the final write comes after the row can be read: wait for it.
    const finalSeen = () => seen.some((moments) => moments.some((moment) => !moment.live));
    expect(await eventually(async () => finalSeen(), Boolean, 5_000)).toBe(true);

    const states = seen.filter((moments) => moments.length > 0);
    // The first write of the moment was the live one, the row at its opening, then at its peak.
    expect(states[0]).toEqual([{ id: final!.id, live: true, end_ts: expect.any(Number) }]);
    const live = states.filter(([moment]) => moment!.live);
    expect(live.length).toBeGreaterThanOrEqual(2);
    expect(live[0]![0]!.end_ts).toBeLessThan(final!.end_ts);
    // Once final it stays final.
    const firstFinal = states.findIndex(([moment]) => !moment!.live);
    expect(firstFinal).toBeGreaterThan(0);
    expect(states.slice(firstFinal).every(([moment]) => !moment!.live)).toBe(true);
  }, 60_000);

  it('ends a moment when all chat stops right after it, once the partitions have been idle', async () => {
    const { store } = testStore;
    // The stream ends in its highlight: nothing after the crowd's last second (207) would close
    // the seconds that end the moment, were event time not to go on once every partition is idle.
    const endsInHighlight = broadcast().filter((event) => event.ts < T0 + 208_000);
    let now = 0;
    await startProcessor(store, 'processors', { clock: () => now });
    await new EventPublisher(log, new Metrics({ defaults: false })).publish(endsInHighlight);
    const live = await eventually(
      () => store.listMoments({ limit: 10 }),
      (page) => page.moments.length > 0,
    );
    expect(live.moments).toEqual([expect.objectContaining({ live: true })]);
    // Still open a while later: a second without chat may yet get some, within the lateness.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await store.listMoments({ limit: 10 })).moments[0]!.live).toBe(true);

    now += 120_000; // two minutes without a record on any partition
    const page = await eventually(() => store.listMoments({ limit: 10 }), settled);
    expect(page.moments).toEqual([
      expect.objectContaining({ id: live.moments[0]!.id, live: false }),
    ]);
    expect(page.moments[0]!.end_ts).toBeLessThan(T0 + 240_000);
  });

  it('puts moments worth a clip in the clip outbox as soon as their peak has passed', async () => {
    const { store } = testStore;
    let recorded = 0;
    await startProcessor(store, 'processors', {
      clips: { minScore: 6, recorded: () => (recorded += 1) },
    });
    await new EventPublisher(log, new Metrics({ defaults: false })).publish(broadcast());
    const page = await eventually(() => store.listMoments({ limit: 10 }), settled);
    const [found] = page.moments;
    expect(found!.score).toBeGreaterThanOrEqual(6);
    const db = createDatabase({ url: testStore.url, logger: silentLogger });
    try {
      const attempts = await db.selectFrom('clip_attempts').selectAll().execute();
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({
        moment_id: found!.id,
        channel_id: '1001',
        channel: 'alpha',
        state: 'pending',
      });
      expect(attempts[0]!.peak_ts.getTime()).toBe(found!.peak_ts);
      expect(recorded).toBeGreaterThanOrEqual(1);
    } finally {
      await db.destroy();
    }
  });

  it('records no clip attempt below the clip threshold, nor with clipping off', async () => {
    const { store } = testStore;
    await startProcessor(store, 'strict', { clips: { minScore: 100 } });
    await startProcessor(store, 'off');
    await new EventPublisher(log, new Metrics({ defaults: false })).publish(broadcast());
    await eventually(
      () => store.listMoments({ limit: 10 }),
      (p) => p.moments.length > 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const db = createDatabase({ url: testStore.url, logger: silentLogger });
    try {
      expect(await db.selectFrom('clip_attempts').selectAll().execute()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it('reads a backlog across partitions without making the slower partitions late', async () => {
    const metrics = new Metrics({ defaults: false });
    const events: StreamEvent[] = [];
    const random = lcg(8);
    for (let channel = 0; channel < 16; channel++) {
      for (let second = 0; second < 300; second++) {
        const ts = T0 + second * 1000 + Math.floor(random() * 1000);
        events.push(
          chat({
            ts,
            channel_id: `c${channel}`,
            channel: `channel${channel}`,
            user: `u${Math.floor(random() * 50)}`,
          }),
        );
      }
    }
    // Channels differ in volume, so partitions hold different spans of time per poll.
    for (let extra = 0; extra < 3000; extra++)
      events.push(
        chat({ ts: T0 + Math.floor(random() * 300_000), channel_id: 'c0', channel: 'channel0' }),
      );
    await new EventPublisher(log, metrics).publish(events.sort((a, b) => a.ts - b.ts));
    const processor = new Processor({
      log,
      store: testStore.store,
      metrics,
      logger: silentLogger,
      batchSize: 500,
    });
    await processor.start();
    running.push(processor);
    await eventually(
      async () => (await metrics.eventsProcessed.get()).values[0]?.value ?? 0,
      (count) => count >= events.length,
    );
    expect((await metrics.lateEvents.get()).values[0]?.value ?? 0).toBe(0);
  });

  it('commits log positions only after writing, so nothing is left behind', async () => {
    const processor = await startProcessor(testStore.store);
    await new EventPublisher(log, new Metrics({ defaults: false })).publish(broadcast());
    await eventually(
      () => testStore.store.listMoments({ limit: 1 }),
      (p) => p.moments.length > 0,
    );
    await processor.stop();
    running.splice(running.indexOf(processor), 1);
    const successor = await log.consumer({ groupId: 'processors', topics: [...TOPICS] });
    expect(await successor.lag()).toBe(0);
    await successor.close();
  });

  it('commits at most once a second while records keep coming, and everything once they stop', async () => {
    let commits = 0;
    interceptConsumers((real) => ({
      commit: (positions) => {
        commits += 1;
        return real.commit(positions);
      },
    }));
    // The clock stands still: no second passes between batches, however long they take here.
    const metrics = new Metrics({ defaults: false });
    const processor = await startProcessor(testStore.store, 'processors', {
      batchSize: 10,
      clock: () => 0,
      metrics,
    });
    const events = broadcast();
    await new EventPublisher(log, new Metrics({ defaults: false })).publish(events);
    await eventually(
      async () => (await metrics.eventsProcessed.get()).values[0]?.value ?? 0,
      (count) => count >= events.length,
    );
    // Everything committed (the first poll that found nothing did it), not one commit a batch.
    const uncommitted = () =>
      TOPICS.flatMap((topic) =>
        log.partitionsOf(topic).map((_, partition) => {
          const tp = { topic, partition };
          return log.endOffset(tp) - (log.committedOffset('processors', tp) ?? 0);
        }),
      ).reduce((sum, n) => sum + n, 0);
    expect(
      await eventually(
        async () => uncommitted(),
        (left) => left === 0,
      ),
    ).toBe(0);
    expect(events.length / 10).toBeGreaterThan(50);
    expect(commits).toBeLessThanOrEqual(3);
    await processor.stop();
    running.splice(running.indexOf(processor), 1);
  });

  it('processing the same events twice stores nothing twice', async () => {
    await new EventPublisher(log, new Metrics({ defaults: false })).publish(broadcast());
    await startProcessor(testStore.store, 'first');
    await startProcessor(testStore.store, 'second');
    await eventually(() => testStore.store.listMoments({ limit: 10 }), settled);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const page = await testStore.store.listMoments({ limit: 10 });
    expect(page.moments).toHaveLength(1);
    const metrics = await testStore.store.channelMetrics({ channel: 'alpha', limit: 1000 });
    const windows = metrics!.metrics.map((window) => window.ts);
    expect(new Set(windows).size).toBe(windows.length);
  });

  it('keeps going when the event log fails for a while (polls and commits), and loses nothing', async () => {
    // The in-process log, with its consumers' first polls and commits failing like a broker
    // restarting: the processor must neither die nor skip records.
    let pollFailures = 2;
    let commitFailures = 2;
    const consumer = interceptConsumers((real) => ({
      poll: (options) =>
        pollFailures-- > 0 ? Promise.reject(new Error('broker not available')) : real.poll(options),
      commit: (positions) =>
        commitFailures-- > 0
          ? Promise.reject(new Error('rebalance in progress'))
          : real.commit(positions),
    }));
    const processor = await startProcessor(testStore.store);
    await new EventPublisher(log, new Metrics({ defaults: false })).publish(broadcast());
    const page = await eventually(
      () => testStore.store.listMoments({ limit: 10 }),
      settled,
      20_000,
    );
    expect(page.moments).toHaveLength(1);
    expect(pollFailures).toBeLessThan(0);
    // More chat, so that a commit follows the failed ones and covers what they left.
    await new EventPublisher(log, new Metrics({ defaults: false })).publish([
      chat({ ts: T0 + 300_000, user: 'late', text: 'gg' }),
    ]);
    await eventually(
      async () => commitFailures,
      (left) => left < 0,
      10_000,
    );
    expect(processor.healthy).toBe(true);
    await processor.stop();
    running.splice(running.indexOf(processor), 1);
    const successor = await consumer({ groupId: 'processors', topics: [...TOPICS] });
    expect(await successor.lag()).toBe(0);
    await successor.close();
  }, 30_000);

  it('reports healthy again once the event log answers, even with nothing to read', async () => {
    let pollFailures = 2;
    interceptConsumers((real) => ({
      poll: (options) =>
        pollFailures-- > 0 ? Promise.reject(new Error('broker not available')) : real.poll(options),
    }));
    const processor = await startProcessor(testStore.store);
    await eventually(
      async () => processor.healthy,
      (healthy) => !healthy,
    );
    expect(processor.lastError).toBe('broker not available');
    expect(await eventually(async () => processor.healthy, Boolean)).toBe(true);
  });

  it('retries when storage fails, reports unhealthy meanwhile, and loses nothing', async () => {
    let failures = 3;
    const real = testStore.store;
    const saveMoments: Store['saveMoments'] = async (moments, live) => {
      if (failures-- > 0) throw new Error('connection refused');
      return real.saveMoments(moments, live);
    };
    // The real store, with its first three moment writes failing like a database outage.
    const flaky = new Proxy(real, {
      get: (target, property) => {
        if (property === 'saveMoments') return saveMoments;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const processor = await startProcessor(flaky);
    await new EventPublisher(log, new Metrics({ defaults: false })).publish(broadcast());
    await eventually(
      async () => processor.healthy,
      (healthy) => !healthy,
      5_000,
    );
    expect(processor.lastError).toBe('connection refused');
    const page = await eventually(
      () => testStore.store.listMoments({ limit: 10 }),
      settled,
      20_000,
    );
    expect(page.moments).toHaveLength(1);
    // Healthy once the write that succeeded returns: the row can be read a moment before that.
    expect(await eventually(async () => processor.healthy, Boolean, 5_000)).toBe(true);
  }, 30_000);
});
