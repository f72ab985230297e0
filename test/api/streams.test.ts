import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelMetrics } from '../../src/processing/channel-metrics.ts';
import type { StreamSummary } from '../../src/storage/store.ts';
import { T0, lifecycle, metricsWindow, viewers } from '../support/records.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

describe('streams API', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await api.store.applyLifecycle([
      lifecycle({
        kind: 'online',
        ts: T0,
        stream_id: 'a-1',
        started_at: T0,
        title: 'speedruns',
        game: 'Celeste',
      }),
      lifecycle({
        kind: 'online',
        ts: T0,
        channel_id: '2002',
        channel: 'bravo',
        stream_id: 'b-1',
        started_at: T0,
      }),
    ]);
    await api.store.recordViewers([
      viewers({ ts: T0 + 1_000, viewers: 300 }),
      viewers({ ts: T0 + 1_000, channel_id: '2002', channel: 'bravo', viewers: 9_000 }),
    ]);
    await api.store.saveMetrics(
      Array.from({ length: 400 }, (_, index) =>
        metricsWindow({ ts: T0 + (index + 1) * 10_000, messages: index }),
      ),
    );
  });
  afterAll(() => api.dispose());

  it('lists live streams by viewers', async () => {
    const response = await api.app.inject('/api/v1/streams');
    expect(response.statusCode).toBe(200);
    const { streams } = response.json<{ streams: StreamSummary[] }>();
    expect(streams.map((s) => [s.channel, s.live, s.viewers])).toEqual([
      ['bravo', true, 9_000],
      ['alpha', true, 300],
    ]);
    expect(streams[1]).toMatchObject({
      title: 'speedruns',
      game: 'Celeste',
      metrics_ts: T0 + 400 * 10_000,
    });
  });

  it("returns a channel's last hour of windows by default, oldest first", async () => {
    const response = await api.app.inject('/api/v1/streams/alpha/metrics');
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      channel_id: string;
      channel: string;
      metrics: ChannelMetrics[];
    }>();
    expect(body.channel_id).toBe('1001');
    expect(body.channel).toBe('alpha');
    expect(body.metrics).toHaveLength(360);
    expect(body.metrics[0]?.messages).toBe(40);
    expect(body.metrics.at(-1)).toEqual(metricsWindow({ ts: T0 + 400 * 10_000, messages: 399 }));
  });

  it('narrows by time range and limit, by login or id', async () => {
    const from = new Date(T0 + 10 * 10_000).toISOString();
    const response = await api.app.inject(
      `/api/v1/streams/1001/metrics?from=${from}&to=${T0 + 20 * 10_000}&limit=3`,
    );
    const body = response.json<{ metrics: ChannelMetrics[] }>();
    expect(body.metrics.map((m) => m.messages)).toEqual([16, 17, 18]);
  });

  it('answers 404 in JSON for a channel it does not know', async () => {
    const response = await api.app.inject('/api/v1/streams/nobody/metrics');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'not_found', message: "unknown channel 'nobody'" });
  });
});
