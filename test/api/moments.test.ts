import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MomentPage } from '../../src/storage/store.ts';
import { T0, moment } from '../support/records.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

const MINUTE = 60_000;

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
    expect((await page('channel=bravo')).moments).toEqual([saved]);
  });
});
