import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedMoment } from '../../src/api/feed-clip.ts';
import { momentId } from '../../src/processing/moment.ts';
import { T0, clip, moment, unclipped } from '../support/records.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

const MINUTE = 60_000;

interface MomentPage {
  moments: FeedMoment[];
  next_cursor: string | null;
}

const alphaFive = momentId('1001', T0 + 4 * MINUTE);

describe('GET /api/v1/moments', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await api.store.saveMoments([
      ...Array.from({ length: 9 }, (_, index) =>
        moment({ start_ts: T0 + index * MINUTE, score: 4 + index }),
      ),
      moment({ start_ts: T0 + 30 * MINUTE, channel_id: '2002', channel: 'bravo', score: 20 }),
    ]);
    // alpha's fifth moment has a clip: paging and filters must not notice.
    await api.store.saveClip(
      clip({ clip_id: 'AlphaFive', detected_at: T0 + 4 * MINUTE, moment_id: alphaFive }),
    );
  });
  afterAll(() => api.dispose());

  async function page(query: string): Promise<MomentPage> {
    const response = await api.app.inject(`/api/v1/moments?${query}`);
    expect(response.statusCode).toBe(200);
    return response.json<MomentPage>();
  }

  it('pages newest first through next_cursor until it is null', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const result: MomentPage = await page(
        `channel=alpha&limit=4${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      ids.push(...result.moments.map((m) => m.id));
      cursor = result.next_cursor;
      pages += 1;
    } while (cursor !== null);

    expect(pages).toBe(3);
    const everything = await page('channel=alpha&limit=200');
    expect(ids).toEqual(everything.moments.map((m) => m.id));
    expect(everything.moments.map((m) => m.start_ts)).toEqual(
      Array.from({ length: 9 }, (_, index) => T0 + (8 - index) * MINUTE),
    );
  });

  it('filters by channel, time range in either format and minimum score', async () => {
    expect((await page('channel=2002')).moments.map((m) => m.channel)).toEqual(['bravo']);
    const iso = new Date(T0 + 2 * MINUTE).toISOString();
    const ranged = await page(`channel=alpha&from=${iso}&to=${T0 + 5 * MINUTE}`);
    expect(ranged.moments.map((m) => (m.start_ts - T0) / MINUTE)).toEqual([4, 3, 2]);
    const strong = await page('min_score=10.5');
    expect(strong.moments.map((m) => m.score)).toEqual([20, 12, 11]);
  });

  it('returns moments exactly as the pipeline saved them', async () => {
    const saved = moment({
      start_ts: T0 + 30 * MINUTE,
      channel_id: '2002',
      channel: 'bravo',
      score: 20,
    });
    expect((await page('channel=bravo')).moments).toEqual([unclipped(saved)]);
  });

  it('gives each moment its clip: how to show and play it and where it peaks, or null', async () => {
    const moments = (await page(`channel=alpha&from=${T0 + 3 * MINUTE}&to=${T0 + 6 * MINUTE}`))
      .moments;
    expect(moments.map((m) => [m.id === alphaFive, m.clip])).toEqual([
      [false, null],
      [
        true,
        {
          clip_id: 'AlphaFive',
          url: 'https://clips.twitch.tv/AlphaFive',
          embed_url: 'https://clips.twitch.tv/embed?clip=AlphaFive',
          thumbnail_url: 'https://clips-media-assets2.twitch.tv/AlphaFive-preview-480x272.jpg',
          duration: 30,
          // The clip's window starts 25 s before detection, the peak 8 s before it.
          peak_offset_s: 17,
        },
      ],
      [false, null],
    ]);
  });

  it('shows a clip stored before its moment was, once the moment is', async () => {
    const later = moment({ start_ts: T0 + 50 * MINUTE, channel_id: '3003', channel: 'charlie' });
    await api.store.saveClip(
      clip({
        clip_id: 'Early',
        detected_at: later.peak_ts,
        channel_id: '3003',
        moment_id: later.id,
      }),
    );
    expect((await page('channel=3003')).moments).toEqual([]);

    await api.store.saveMoments([later]);
    const [shown] = (await page('channel=3003')).moments;
    expect(shown?.id).toBe(later.id);
    expect(shown?.clip?.clip_id).toBe('Early');
  });

  it('says whether a moment is still live, and shows its final row once it ends', async () => {
    const opened = moment({
      start_ts: T0 + 60 * MINUTE,
      channel_id: '4004',
      channel: 'delta',
      score: 4.5,
      end_ts: T0 + 60 * MINUTE + 2_000,
    });
    await api.store.saveMoments([], [opened]);
    expect((await page('channel=delta')).moments).toEqual([unclipped(opened, true)]);

    const ended = { ...opened, score: 9, end_ts: opened.start_ts + 12_000 };
    await api.store.saveMoments([ended]);
    expect((await page('channel=delta')).moments).toEqual([unclipped(ended)]);
    // The OpenAPI document tells clients about the field.
    const spec = (await api.app.inject('/openapi.json')).json<{
      components: {
        schemas: { Moment: { properties: Record<string, unknown>; required: string[] } };
      };
    }>();
    expect(spec.components.schemas.Moment.properties).toHaveProperty('live');
    expect(spec.components.schemas.Moment.required).toContain('live');
  });
});
