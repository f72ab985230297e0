import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T0, metricsWindow, viewers } from '../support/records.ts';
import { openTestStore, type TestStore } from '../support/store.ts';

describe('live-metrics windows in PostgreSQL', () => {
  let test: TestStore;
  beforeAll(async () => {
    test = await openTestStore();
  });
  afterAll(() => test.dispose());

  it('overwrites a re-processed window instead of duplicating it', async () => {
    const window = metricsWindow({ channel_id: '3003', channel: 'charlie', ts: T0 });
    await test.store.saveMetrics([window]);
    await test.store.saveMetrics([{ ...window, messages: 200, chat_rate: 3.33, viewers: null }]);

    const found = await test.store.channelMetrics({ channel: 'charlie', limit: 10 });
    expect(found).toEqual({
      channel_id: '3003',
      channel: 'charlie',
      metrics: [{ ...window, messages: 200, chat_rate: 3.33, viewers: null }],
    });
  });

  it('accepts a batch that repeats a window, keeping the last one', async () => {
    const window = metricsWindow({ channel_id: '3004', channel: 'delta', ts: T0 });
    await test.store.saveMetrics([window, { ...window, messages: 7 }]);
    const found = await test.store.channelMetrics({ channel: '3004', limit: 10 });
    expect(found?.metrics.map((m) => m.messages)).toEqual([7]);
  });

  it('writes a batch too large for one statement (a processor catching up on a backlog)', async () => {
    // 1,000 channels, 10 windows each: 110,000 parameters in one statement, over PostgreSQL's
    // 65,535: it failed with "bind message has 17465 parameter formats but 0 parameters".
    const windows = Array.from({ length: 10_000 }, (_, index) =>
      metricsWindow({
        channel_id: `bulk${index % 1000}`,
        channel: `bulk${index % 1000}`,
        ts: T0 + Math.floor(index / 1000) * 10_000,
      }),
    );
    await test.store.saveMetrics(windows);
    const found = await test.store.channelMetrics({ channel: 'bulk999', limit: 100 });
    expect(found?.metrics.map((m) => m.ts)).toEqual(
      Array.from({ length: 10 }, (_, index) => T0 + index * 10_000),
    );
  });

  it('returns the newest windows of a range, oldest first', async () => {
    const windows = Array.from({ length: 12 }, (_, index) =>
      metricsWindow({
        channel_id: '3005',
        channel: 'echo',
        ts: T0 + index * 10_000,
        messages: index,
      }),
    );
    await test.store.saveMetrics(windows);

    const latest = await test.store.channelMetrics({ channel: 'echo', limit: 3 });
    expect(latest?.metrics.map((m) => m.messages)).toEqual([9, 10, 11]);

    const range = await test.store.channelMetrics({
      channel: 'echo',
      from: T0 + 20_000,
      to: T0 + 50_000,
      limit: 100,
    });
    expect(range?.metrics.map((m) => m.messages)).toEqual([2, 3, 4]);
  });

  it("fills a window's missing viewer count from the channel's newest sample before it", async () => {
    // With several processors, the one writing a channel's windows may not read its viewer samples.
    const channel = { channel_id: '3006', channel: 'foxtrot' };
    await test.store.recordViewers([
      viewers({ ...channel, ts: T0 - 30_000, viewers: 500 }),
      viewers({ ...channel, ts: T0 + 30_000, viewers: 700 }),
    ]);
    await test.store.saveMetrics([
      metricsWindow({ ...channel, ts: T0, viewers: null }),
      metricsWindow({ ...channel, ts: T0 + 60_000, viewers: null }),
      metricsWindow({ ...channel, ts: T0 + 120_000, viewers: 650 }),
      // The newest sample is over five minutes old by then: no count rather than a stale one.
      metricsWindow({ ...channel, ts: T0 + 600_000, viewers: null }),
    ]);

    const found = await test.store.channelMetrics({ channel: 'foxtrot', limit: 10 });
    expect(found?.metrics.map((m) => m.viewers)).toEqual([500, 700, 650, null]);

    let announce: (viewers: number | null) => void = () => {};
    const announced = new Promise<number | null>((resolve) => (announce = resolve));
    const stop = await test.store.listenForMetrics((batch) => {
      const window = batch.find((m) => m.channel_id === '3006' && m.ts === T0 + 60_000);
      if (window) announce(window.viewers);
    });
    await test.store.saveMetrics([
      metricsWindow({ ...channel, ts: T0 + 60_000, viewers: null, messages: 1 }),
    ]);
    expect(await announced).toBe(700);
    await stop();
  });

  it('knows no metrics for a channel it never saw', async () => {
    expect(await test.store.channelMetrics({ channel: 'ghost', limit: 10 })).toBeNull();
  });
});
