import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedClip } from '../../src/api/feed-clip.ts';
import { T0, clip } from '../support/records.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

const MINUTE = 60_000;

interface ClipFeedPage {
  clips: FeedClip[];
  next_cursor: string | null;
}

async function getPage(api: TestApi, query: string): Promise<ClipFeedPage> {
  const response = await api.app.inject(`/api/v1/clips?${query}`);
  expect(response.statusCode).toBe(200);
  return response.json<ClipFeedPage>();
}

describe('GET /api/v1/clips', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    // Stored in detection order; score cycles 5, 6, ..., 12.
    for (let index = 0; index < 30; index += 1) {
      await api.store.saveClip(
        clip({
          clip_id: `alpha-${index}`,
          detected_at: T0 + index * MINUTE,
          intensity: 5 + (index % 8),
        }),
      );
    }
    await api.store.saveClip(
      clip({
        clip_id: 'bravo-0',
        channel_id: '2002',
        channel: 'bravo',
        detected_at: T0 + 40 * MINUTE,
        intensity: 21,
      }),
    );
  });
  afterAll(() => api.dispose());

  const page = (query: string) => getPage(api, query);

  const ids = (result: ClipFeedPage) => result.clips.map((c) => c.clip_id);

  it('answers 24 clips by default, newest stored first, with the fields the UI needs', async () => {
    const first = await page('');
    expect(first.clips).toHaveLength(24);
    expect(first.next_cursor).not.toBeNull();
    expect(ids(first).slice(0, 3)).toEqual(['bravo-0', 'alpha-29', 'alpha-28']);
    const detected = T0 + 29 * MINUTE;
    expect(first.clips[1]).toEqual({
      clip_id: 'alpha-29',
      moment_id: null,
      channel_id: '1001',
      channel: 'alpha',
      url: 'https://clips.twitch.tv/alpha-29',
      embed_url: 'https://clips.twitch.tv/embed?clip=alpha-29',
      thumbnail_url: 'https://clips-media-assets2.twitch.tv/alpha-29-preview-480x272.jpg',
      title: 'what a play',
      score: 10,
      duration: 30,
      vod_offset: 3_600,
      detected_at: detected,
      created_at: detected + 5_000,
      peak_ts: detected - 8_000,
      clip_start_ts: detected - 25_000,
      clip_end_ts: detected + 5_000,
      // The clip starts 25 s before detection, the peak was 8 s before it.
      peak_offset_s: 17,
    });
  });

  it('pages through next_cursor until it is null, each clip once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const result: ClipFeedPage = await page(
        `limit=7${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      seen.push(...ids(result));
      cursor = result.next_cursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(5);
    expect(seen).toEqual(ids(await page('limit=100')));
    expect(new Set(seen).size).toBe(31);
  });

  it('filters by channel login or id, minimum score and detection time in either format', async () => {
    expect(ids(await page('channel=bravo'))).toEqual(['bravo-0']);
    expect(ids(await page('channel=2002'))).toEqual(['bravo-0']);
    expect((await page('channel=alpha&limit=100')).clips).toHaveLength(30);
    expect(ids(await page('channel=nobody'))).toEqual([]);

    const strong = await page('min_score=11.5&limit=100');
    expect(strong.clips.map((c) => c.score)).toEqual([21, 12, 12, 12]);

    // from is inclusive, to exclusive, as in the moments feed.
    const from = new Date(T0 + 10 * MINUTE).toISOString();
    const ranged = await page(`from=${from}&to=${T0 + 13 * MINUTE}`);
    expect(ids(ranged)).toEqual(['alpha-12', 'alpha-11', 'alpha-10']);

    const combined = await page(`channel=alpha&min_score=12&from=${from}&limit=2`);
    expect(ids(combined)).toEqual(['alpha-23', 'alpha-15']);
    expect(combined.next_cursor).toBeNull();
  });

  it('keeps the filters across pages', async () => {
    const first = await page('channel=alpha&min_score=11&limit=4');
    expect(ids(first)).toEqual(['alpha-23', 'alpha-22', 'alpha-15', 'alpha-14']);
    const second = await page(`channel=alpha&min_score=11&limit=4&cursor=${first.next_cursor}`);
    expect(ids(second)).toEqual(['alpha-7', 'alpha-6']);
    expect(second.next_cursor).toBeNull();
  });
});

describe('GET /api/v1/clips while clips arrive', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.dispose());

  const page = (query: string) => getPage(api, query);

  it('never repeats or skips a clip; new ones appear only on a fresh first page', async () => {
    const original = Array.from({ length: 10 }, (_, index) =>
      clip({ clip_id: `old-${index}`, detected_at: T0 + index * MINUTE }),
    );
    for (const stored of original) await api.store.saveClip(stored);

    const seen: string[] = [];
    const arrived: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const result: ClipFeedPage = await page(
        `limit=3${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      seen.push(...result.clips.map((c) => c.clip_id));
      cursor = result.next_cursor;
      round += 1;
      // Between two fetches: a clip of a new moment, a clip confirmed late for an old moment
      // (detected before everything shown), and a clip already shown saved again (its thumbnail
      // arrived): offset paging would repeat clips, paging on detection time would show the late one.
      const fresh = clip({ clip_id: `new-${round}`, detected_at: T0 + (60 + round) * MINUTE });
      const late = clip({ clip_id: `late-${round}`, detected_at: T0 - round * MINUTE });
      await api.store.saveClip(fresh);
      await api.store.saveClip(late);
      arrived.push(fresh.clip_id, late.clip_id);
      const shown = original.find((c) => c.clip_id === seen[0]);
      await api.store.saveClip({ ...shown!, thumbnail_url: 'https://example.invalid/new.jpg' });
    } while (cursor !== null);

    expect(round).toBe(4);
    expect(seen).toEqual(original.map((c) => c.clip_id).toReversed());

    // A reader starting over sees the arrivals first, newest stored first, then the rest.
    const fresh = await page('limit=100');
    expect(fresh.clips.map((c) => c.clip_id)).toEqual([...arrived.toReversed(), ...seen]);
    expect(fresh.clips.find((c) => c.clip_id === 'old-9')?.thumbnail_url).toBe(
      'https://example.invalid/new.jpg',
    );
  });
});
