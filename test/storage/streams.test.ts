import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/ops/logger.ts';
import { createDatabase } from '../../src/storage/database.ts';
import { derivedStreamId } from '../../src/storage/lifecycle.ts';
import { poll } from '../support/poll.ts';
import { T0, lifecycle, metricsWindow, moment, viewers } from '../support/records.ts';
import { openTestStore, type TestStore } from '../support/store.ts';

const MINUTE = 60_000;

describe('streams from lifecycle and viewer events', () => {
  let test: TestStore;
  const db = () => createDatabase({ url: test.url, logger: silentLogger });
  beforeAll(async () => {
    test = await openTestStore();
  });
  afterAll(() => test.dispose());
  beforeEach(async () => {
    const handle = db();
    await sql`truncate streams, viewer_counts, stream_metrics, moments, clips, streamers cascade`.execute(
      handle,
    );
    await handle.destroy();
  });

  async function streamRows() {
    const handle = db();
    try {
      return (
        await handle
          .selectFrom('streams')
          .select([
            'id',
            'channel_id',
            'title',
            'game',
            'started_at',
            'ended_at',
            'viewers',
            'peak_viewers',
          ])
          .orderBy('started_at')
          .execute()
      ).map((row) => ({
        ...row,
        started_at: row.started_at.getTime(),
        ended_at: row.ended_at?.getTime() ?? null,
      }));
    } finally {
      await handle.destroy();
    }
  }

  it('opens a stream when the channel goes online and closes it when it goes offline', async () => {
    const online = lifecycle({
      kind: 'online',
      ts: T0,
      stream_id: 's-1',
      started_at: T0 - MINUTE,
      title: 'ranked grind',
      game: 'Chess',
      language: 'en',
      display_name: 'Alpha',
    });
    await test.store.applyLifecycle([online]);
    let [summary] = await test.store.listStreams();
    expect(summary).toMatchObject({
      channel_id: '1001',
      channel: 'alpha',
      display_name: 'Alpha',
      live: true,
      title: 'ranked grind',
      game: 'Chess',
      language: 'en',
      started_at: T0 - MINUTE,
    });

    await test.store.applyLifecycle([lifecycle({ kind: 'offline', ts: T0 + 60 * MINUTE })]);
    [summary] = await test.store.listStreams();
    expect(summary?.live).toBe(false);
    expect(await streamRows()).toMatchObject([{ id: 's-1', ended_at: T0 + 60 * MINUTE }]);

    // The same events delivered again change nothing: the stale online does not re-open the stream.
    await test.store.applyLifecycle([online, lifecycle({ kind: 'offline', ts: T0 + 60 * MINUTE })]);
    await test.store.applyLifecycle([online]);
    expect(await streamRows()).toMatchObject([{ id: 's-1', ended_at: T0 + 60 * MINUTE }]);
  });

  it('derives a stable stream id when Twitch gave none', async () => {
    const online = lifecycle({ kind: 'online', ts: T0, started_at: T0 - 5_000 });
    await test.store.applyLifecycle([online]);
    await test.store.applyLifecycle([online]);
    expect(await streamRows()).toMatchObject([
      { id: derivedStreamId('1001', T0 - 5_000), ended_at: null },
    ]);
  });

  it('closes a stream whose offline event was missed when the next one starts', async () => {
    await test.store.applyLifecycle([
      lifecycle({ kind: 'online', ts: T0, stream_id: 's-1', started_at: T0 }),
      lifecycle({
        kind: 'online',
        ts: T0 + 90 * MINUTE,
        stream_id: 's-2',
        started_at: T0 + 90 * MINUTE,
      }),
    ]);
    expect(await streamRows()).toMatchObject([
      { id: 's-1', ended_at: T0 + 90 * MINUTE },
      { id: 's-2', ended_at: null },
    ]);
  });

  /**
   * While another session holds streamer 1001 (`lock`, as a concurrent writer would), starts
   * `write`, waits until it is blocked, then runs `probe` (a `nowait` query) in a third session:
   * what `write` holds while it waits. Then lets it finish.
   */
  async function whileBlockedOn1001(lock: string, write: () => Promise<void>, probe: string) {
    const holder = new pg.Client({ connectionString: test.url });
    const prober = new pg.Client({ connectionString: test.url });
    await holder.connect();
    await prober.connect();
    try {
      await holder.query('begin');
      await holder.query(`select 1 from streamers where id = '1001' ${lock}`);
      const writing = write();
      await poll(async () => {
        const waiting = await prober.query(
          `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
        );
        return waiting.rowCount === 1 ? true : undefined;
      }, 10_000);
      await prober.query('begin');
      const probed = await prober.query(probe).then(
        (result) => result.rowCount,
        (error: unknown) => error,
      );
      await prober.query('rollback');
      await holder.query('rollback');
      await writing;
      return probed;
    } finally {
      await holder.end();
      await prober.end();
    }
  }

  it('takes the streamer rows of a lifecycle batch in id order, as chat writes do, so the two cannot deadlock', async () => {
    const first = lifecycle({ kind: 'online', ts: T0, channel_id: '2002', channel: 'beta' });
    const second = lifecycle({ kind: 'online', ts: T0 + 1, channel_id: '1001', channel: 'alpha' });
    await test.store.applyLifecycle([first, second]);
    // Another writer (a processor saving chat metrics) holds the lower id, 1001. Events in the
    // order 2002, 1001: applied in that order, they would lock 2002 first.
    const held = await whileBlockedOn1001(
      'for update',
      () =>
        test.store.applyLifecycle([
          { ...first, kind: 'title', ts: T0 + 2, title: 'b' },
          { ...second, kind: 'title', ts: T0 + 3, title: 'a' },
        ]),
      `select 1 from streamers where id = '2002' for update nowait`,
    );
    // Waiting on 1001, it must not hold 2002: a writer taking 1001 then 2002 would deadlock.
    expect(held).toBe(1);
  });

  it('takes the streamer rows of a viewers batch in id order before any stream row, so it cannot deadlock', async () => {
    await test.store.applyLifecycle([
      lifecycle({ kind: 'online', ts: T0, channel_id: '1001', channel: 'alpha', stream_id: 's-a' }),
      lifecycle({ kind: 'online', ts: T0, channel_id: '2002', channel: 'beta', stream_id: 's-b' }),
    ]);
    // Another writer (a processor applying this channel's lifecycle) holds streamer 1001.
    const held = await whileBlockedOn1001(
      'for no key update',
      () =>
        test.store.recordViewers([
          viewers({ ts: T0 + MINUTE, viewers: 500, channel_id: '2002', channel: 'beta' }),
          viewers({ ts: T0 + MINUTE, viewers: 700, channel_id: '1001', channel: 'alpha' }),
        ]),
      `select 1 from streams where channel_id = '2002' for update nowait`,
    );
    // Waiting on 1001, it must hold no stream row yet: that writer's next step may be 2002's.
    expect(held).toBe(1);
    expect(await streamRows()).toMatchObject([{ viewers: 700 }, { viewers: 500 }]);
  });

  it('applies title and game changes to the live stream only', async () => {
    await test.store.applyLifecycle([
      lifecycle({
        kind: 'online',
        ts: T0,
        stream_id: 's-1',
        started_at: T0,
        title: 'first',
        game: 'Chess',
      }),
      lifecycle({ kind: 'title', ts: T0 + MINUTE, title: 'second' }),
      lifecycle({ kind: 'game', ts: T0 + 2 * MINUTE, game: 'Go' }),
    ]);
    expect(await streamRows()).toMatchObject([{ title: 'second', game: 'Go' }]);
  });

  it('records viewer samples, keeping the newest count and the peak on the live stream', async () => {
    await test.store.applyLifecycle([
      lifecycle({ kind: 'online', ts: T0, stream_id: 's-1', started_at: T0 }),
    ]);
    await test.store.recordViewers([
      viewers({ ts: T0 + 2 * MINUTE, viewers: 900 }),
      viewers({ ts: T0 + MINUTE, viewers: 1_200 }),
    ]);
    // A late, older sample must not replace the newer count.
    await test.store.recordViewers([viewers({ ts: T0 + 30_000, viewers: 300 })]);
    await test.store.recordViewers([viewers({ ts: T0 + 2 * MINUTE, viewers: 900 })]);

    expect(await streamRows()).toMatchObject([{ viewers: 900, peak_viewers: 1_200 }]);
    const handle = db();
    const samples = await handle
      .selectFrom('viewer_counts')
      .select(['viewers'])
      .orderBy('ts')
      .execute();
    await handle.destroy();
    expect(samples.map((sample) => sample.viewers)).toEqual([300, 1_200, 900]);
  });

  it('lists live streams first by viewers, with their newest metrics and recent moments', async () => {
    await test.store.applyLifecycle([
      lifecycle({
        kind: 'online',
        ts: T0,
        channel_id: '1',
        channel: 'small',
        stream_id: 'a',
        started_at: T0,
      }),
      lifecycle({
        kind: 'online',
        ts: T0,
        channel_id: '2',
        channel: 'big',
        stream_id: 'b',
        started_at: T0,
      }),
      lifecycle({
        kind: 'online',
        ts: T0,
        channel_id: '3',
        channel: 'gone',
        stream_id: 'c',
        started_at: T0,
      }),
      lifecycle({ kind: 'offline', ts: T0 + MINUTE, channel_id: '3', channel: 'gone' }),
    ]);
    await test.store.recordViewers([
      viewers({ ts: T0 + MINUTE, channel_id: '1', channel: 'small', viewers: 50 }),
      viewers({ ts: T0 + MINUTE, channel_id: '2', channel: 'big', viewers: 5_000 }),
    ]);
    await test.store.saveMetrics([
      metricsWindow({ ts: T0 + 10 * MINUTE, channel_id: '2', channel: 'big', chat_rate: 1 }),
      metricsWindow({
        ts: T0 + 20 * MINUTE,
        channel_id: '2',
        channel: 'big',
        chat_rate: 4.5,
        unique_chatters: 77,
      }),
    ]);
    await test.store.saveMoments([
      moment({ start_ts: T0 + 19 * MINUTE, channel_id: '2', channel: 'big' }),
      moment({ start_ts: T0 + 5 * MINUTE, channel_id: '2', channel: 'big' }),
      // More than an hour before the newest window: not recent.
      moment({ start_ts: T0 + 20 * MINUTE - 61 * MINUTE, channel_id: '2', channel: 'big' }),
    ]);

    const streams = await test.store.listStreams();
    expect(streams.map((s) => [s.channel, s.live, s.viewers])).toEqual([
      ['big', true, 5_000],
      ['small', true, 50],
      ['gone', false, null],
    ]);
    expect(streams[0]).toMatchObject({
      chat_rate: 4.5,
      unique_chatters: 77,
      metrics_ts: T0 + 20 * MINUTE,
      recent_moments: 2,
    });
    expect(streams[1]).toMatchObject({ chat_rate: null, metrics_ts: null, recent_moments: 0 });
  });
});
