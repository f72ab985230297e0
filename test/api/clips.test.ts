import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T0, clip } from '../support/records.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

const MINUTE = 60_000;

interface SeedClipResponse {
  clips: Record<string, unknown>[];
  count: number;
  total_count: number;
  has_more: boolean;
  query: Record<string, unknown>;
}

describe('GET /v1.0/clip (seed-compatible)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    for (let index = 0; index < 30; index += 1) {
      // Intensity cycles 7, 8, ..., 12: two thirds reach the seed's default of 9.
      await api.store.saveClip(
        clip({
          clip_id: `clip-${index}`,
          detected_at: T0 + index * MINUTE,
          intensity: 7 + (index % 6),
        }),
      );
    }
  });
  afterAll(() => api.dispose());

  async function get(query: string): Promise<SeedClipResponse> {
    const response = await api.app.inject(`/v1.0/clip${query}`);
    expect(response.statusCode).toBe(200);
    return response.json<SeedClipResponse>();
  }

  it('defaults to 24 clips of intensity 9 or more, newest first, with the seed fields', async () => {
    const body = await get('');
    expect(body.total_count).toBe(20);
    expect(body.count).toBe(20);
    expect(body.has_more).toBe(false);
    expect(body.query).toEqual({ start: null, end: null, min_intensity: 9, limit: 24, offset: 0 });
    expect(body.clips[0]).toEqual({
      id: 'clip-29',
      clip_id: 'clip-29',
      broadcaster_id: '1001',
      streamer_login: 'alpha',
      moment_id: null,
      url: 'https://clips.twitch.tv/clip-29',
      embed_url: 'https://clips.twitch.tv/embed?clip=clip-29',
      thumbnail_url: 'https://clips-media-assets2.twitch.tv/clip-29-preview-480x272.jpg',
      title: 'what a play',
      detected_at: new Date(T0 + 29 * MINUTE).toISOString(),
      created_at: new Date(T0 + 29 * MINUTE + 5_000).toISOString(),
      intensity: 12,
      duration: 30,
      vod_offset: 3_600,
    });
  });

  it('pages by offset and reports has_more', async () => {
    const first = await get('?min_intensity=0&limit=10');
    const second = await get('?min_intensity=0&limit=10&offset=20');
    expect(first).toMatchObject({ count: 10, total_count: 30, has_more: true });
    expect(second).toMatchObject({ count: 10, total_count: 30, has_more: false });
    expect(second.clips.at(-1)?.clip_id).toBe('clip-0');
  });

  it('filters by detection time', async () => {
    const start = new Date(T0 + 10 * MINUTE).toISOString();
    const end = new Date(T0 + 13 * MINUTE).toISOString();
    const body = await get(`?min_intensity=0&start=${start}&end=${end}`);
    expect(body.clips.map((c) => c.clip_id)).toEqual(['clip-12', 'clip-11', 'clip-10']);
    expect(body.query).toMatchObject({ start, end });
  });
});
