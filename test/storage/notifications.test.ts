import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/ops/logger.ts';
import type { ChannelMetrics } from '../../src/processing/channel-metrics.ts';
import type { Moment } from '../../src/processing/moment.ts';
import { openStore, type PostgresStore } from '../../src/storage/postgres-store.ts';
import { T0, metricsWindow, moment, unclipped } from '../support/records.ts';
import { openTestStore, type TestStore } from '../support/store.ts';

/** Collects what a listener receives; `next(n)` waits until n items have arrived. */
function inbox<T>() {
  const items: T[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  return {
    items,
    push(item: T) {
      items.push(item);
      if (waiter !== undefined && items.length >= waiter.count) waiter.resolve();
    },
    next(count: number): Promise<T[]> {
      if (items.length >= count) return Promise.resolve(items);
      return new Promise((resolve) => {
        waiter = { count, resolve: () => resolve(items) };
      });
    },
  };
}

describe('LISTEN/NOTIFY between processes sharing the database', () => {
  let test: TestStore;
  let writer: PostgresStore;
  beforeAll(async () => {
    test = await openTestStore();
    // A second store: its own pool, as another process (the processor) would have.
    writer = await openStore({ url: test.url, logger: silentLogger });
  });
  afterAll(async () => {
    await writer.close();
    await test.dispose();
  });

  it('delivers a moment saved through another connection, once, even when re-saved unchanged', async () => {
    const received = inbox<Moment>();
    const stop = await test.store.listenForMoments((m) => received.push(m));
    try {
      const saved = moment({ start_ts: T0, channel_id: '4004', channel: 'foxtrot' });
      await writer.saveMoments([saved]);
      expect(await received.next(1)).toEqual([unclipped(saved)]);

      await writer.saveMoments([saved]);
      const later = moment({ start_ts: T0 + 60_000, channel_id: '4004', channel: 'foxtrot' });
      await writer.saveMoments([later]);
      expect(await received.next(2)).toEqual([unclipped(saved), unclipped(later)]);
    } finally {
      await stop();
    }
  });

  it('splits a large batch over several notifications and delivers every window', async () => {
    const received = inbox<ChannelMetrics>();
    const stop = await test.store.listenForMetrics((batch) =>
      batch.forEach((window) => received.push(window)),
    );
    try {
      const windows = Array.from({ length: 130 }, (_, index) =>
        metricsWindow({ ts: T0, channel_id: `ch-${index}`, channel: `channel${index}` }),
      );
      await writer.saveMetrics(windows);
      const delivered = await received.next(130);
      expect(new Set(delivered.map((w) => w.channel_id))).toEqual(
        new Set(windows.map((w) => w.channel_id)),
      );
      expect(delivered.find((w) => w.channel_id === 'ch-7')).toEqual(windows[7]);
    } finally {
      await stop();
    }
  });

  it('listens again after its connection is cut', async () => {
    const received = inbox<Moment>();
    const stop = await test.store.listenForMoments((m) => received.push(m));
    try {
      const admin = new pg.Client({ connectionString: test.url });
      await admin.connect();
      const cut = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
         where application_name = 'streamscout-listener' and datname = current_database()`,
      );
      expect(cut.rowCount).toBeGreaterThan(0);

      // Until it is back, notifications are lost: keep saving fresh moments until one arrives.
      for (let attempt = 0; received.items.length === 0 && attempt < 100; attempt += 1) {
        await writer.saveMoments([
          moment({ start_ts: T0 + (attempt + 10) * 60_000, channel_id: '4005', channel: 'golf' }),
        ]);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await admin.end();
      expect(received.items.length).toBeGreaterThan(0);
    } finally {
      await stop();
    }
  });
});
