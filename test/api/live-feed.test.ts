import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LiveFeed,
  MAX_BUFFERED_BYTES,
  type LiveClient,
  type LiveMessage,
} from '../../src/api/live-feed.ts';
import { silentLogger } from '../../src/ops/logger.ts';
import { Metrics } from '../../src/ops/metrics.ts';
import { openStore, type PostgresStore } from '../../src/storage/postgres-store.ts';
import { T0, clip, metricsWindow, moment, unclipped } from '../support/records.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { openTestStore, type TestStore } from '../support/store.ts';

/** A WebSocket client that queues what it receives. */
async function connect(url: string) {
  const socket = new WebSocket(url);
  const messages: LiveMessage[] = [];
  const waiters: (() => void)[] = [];
  socket.addEventListener('message', (event) => {
    messages.push(JSON.parse(String(event.data)) as LiveMessage);
    waiters.splice(0).forEach((wake) => wake());
  });
  await once(socket, 'open');
  return {
    socket,
    messages,
    async next(count: number): Promise<LiveMessage[]> {
      while (messages.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return messages;
    },
  };
}

describe('WebSocket /api/v1/live', () => {
  let api: TestApi;
  let processor: PostgresStore;
  let url: string;
  beforeAll(async () => {
    api = await startTestApi();
    // Moments are saved by another process in production: a second store plays the processor.
    processor = await openStore({ url: api.databaseUrl, logger: silentLogger });
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const address = api.app.server.address();
    url = `ws://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/api/v1/live`;
  });
  afterAll(async () => {
    await processor.close();
    await api.dispose();
  });

  it('greets, then pushes moments and metrics saved after the client connected', async () => {
    const first = await connect(url);
    const second = await connect(url);
    expect(await first.next(1)).toEqual([{ type: 'hello' }]);
    expect((await api.metrics.websocketClients.get()).values[0]?.value).toBe(2);

    const saved = moment({ start_ts: T0, channel_id: '5005', channel: 'hotel' });
    await processor.saveMoments([saved]);
    const window = metricsWindow({ ts: T0 + 10_000, channel_id: '5005', channel: 'hotel' });
    await processor.saveMetrics([window]);

    for (const client of [first, second]) {
      expect(await client.next(3)).toEqual([
        { type: 'hello' },
        { type: 'moment', moment: unclipped(saved) },
        { type: 'metrics', metrics: [window] },
      ]);
    }

    first.socket.close();
    second.socket.close();
    await Promise.all([once(first.socket, 'close'), once(second.socket, 'close')]);
    await expect
      .poll(async () => (await api.metrics.websocketClients.get()).values[0]?.value)
      .toBe(0);
  });

  it('announces a moment when it opens and again when it ends, and not back to live', async () => {
    const client = await connect(url);
    await client.next(1);
    const opened = moment({
      start_ts: T0 + 300_000,
      channel_id: '5016',
      channel: 'kilo',
      score: 4.5,
      end_ts: T0 + 302_000,
    });
    const ended = { ...opened, score: 9, end_ts: T0 + 315_000 };
    await processor.saveMoments([], [opened]);
    // The feed reads a row when told it changed: wait, or it may read the final one already.
    expect((await client.next(2))[1]).toEqual({ type: 'moment', moment: unclipped(opened, true) });
    await processor.saveMoments([ended]);
    // A replayed opening after the end changes no row: nothing is announced for it.
    await processor.saveMoments([], [opened]);
    const marker = moment({ start_ts: T0 + 400_000, channel_id: '5016', channel: 'kilo' });
    await processor.saveMoments([marker]);
    expect(await client.next(4)).toEqual([
      { type: 'hello' },
      { type: 'moment', moment: unclipped(opened, true) },
      { type: 'moment', moment: unclipped(ended) },
      { type: 'moment', moment: unclipped(marker) },
    ]);
    client.socket.close();
    await once(client.socket, 'close');
  });

  it('pushes a moment again, with its clip, when a clip of it is stored', async () => {
    const client = await connect(url);
    await client.next(1);
    const shown = moment({ start_ts: T0 + 60_000, channel_id: '5006', channel: 'juliett' });
    await processor.saveMoments([shown]);
    await client.next(2);

    await processor.saveClip(
      clip({
        clip_id: 'LateClip',
        detected_at: shown.peak_ts,
        channel_id: '5006',
        moment_id: shown.id,
      }),
    );
    const [, , again] = await client.next(3);
    expect(again).toEqual({
      type: 'moment',
      moment: {
        ...shown,
        live: false,
        clip: {
          clip_id: 'LateClip',
          url: 'https://clips.twitch.tv/LateClip',
          embed_url: 'https://clips.twitch.tv/embed?clip=LateClip',
          thumbnail_url: 'https://clips-media-assets2.twitch.tv/LateClip-preview-480x272.jpg',
          duration: 30,
          peak_offset_s: 17,
        },
      },
    });

    // A clip stored before its moment: the moment goes out with it. (Its notification may be
    // read once the moment is saved too, and then push it as well: with the clip all the same.)
    const next = moment({ start_ts: T0 + 120_000, channel_id: '5006', channel: 'juliett' });
    await processor.saveClip(
      clip({
        clip_id: 'EarlyClip',
        detected_at: next.peak_ts,
        channel_id: '5006',
        moment_id: next.id,
      }),
    );
    await processor.saveMoments([next]);
    await client.next(4);
    // Give a stray push time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const pushes = client.messages.slice(3);
    expect(pushes.length).toBeLessThanOrEqual(2);
    for (const pushed of pushes) {
      expect(pushed).toMatchObject({
        type: 'moment',
        moment: { id: next.id, clip: { clip_id: 'EarlyClip' } },
      });
    }
    client.socket.close();
    await once(client.socket, 'close');
  });
});

describe('live feed fan-out', () => {
  let test: TestStore;
  beforeAll(async () => {
    test = await openTestStore();
  });
  afterAll(() => test.dispose());

  function fakeClient(bufferedAmount: number) {
    const received: LiveMessage[] = [];
    const client: LiveClient = {
      bufferedAmount,
      send: (data) => received.push(JSON.parse(data) as LiveMessage),
    };
    return { client, received };
  }

  it('drops messages for a client that is not keeping up, and stops listening when stopped', async () => {
    const feed = new LiveFeed({
      store: test.store,
      metrics: new Metrics({ defaults: false }),
      logger: silentLogger,
    });
    await feed.start();
    const fast = fakeClient(0);
    const slow = fakeClient(MAX_BUFFERED_BYTES + 1);
    feed.add(fast.client);
    feed.add(slow.client);

    await test.store.saveMoments([moment({ start_ts: T0, channel_id: '6006', channel: 'india' })]);
    await expect.poll(() => fast.received.length).toBe(2);
    expect(slow.received).toEqual([{ type: 'hello' }]);

    await feed.stop();
    await test.store.saveMoments([
      moment({ start_ts: T0 + 60_000, channel_id: '6006', channel: 'india' }),
    ]);
    // Give a stray notification time to arrive: none must.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fast.received).toHaveLength(2);
  });
});
