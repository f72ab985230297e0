import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T0, clip, moment } from '../support/records.ts';
import { openTestStore, type TestStore } from '../support/store.ts';

const MINUTE = 60_000;

describe('clips in PostgreSQL', () => {
  let test: TestStore;
  beforeAll(async () => {
    test = await openTestStore();
    const detected = moment({ start_ts: T0 });
    await test.store.saveMoments([detected]);
    await test.store.saveClip(
      clip({ clip_id: 'AwkwardHelplessSalamander', detected_at: T0, moment_id: detected.id }),
    );
    for (let index = 1; index <= 5; index += 1) {
      await test.store.saveClip(
        clip({ clip_id: `clip-${index}`, detected_at: T0 + index * MINUTE, intensity: 6 + index }),
      );
    }
  });
  afterAll(() => test.dispose());

  it('upserts by clip id', async () => {
    const again = clip({
      clip_id: 'clip-1',
      detected_at: T0 + MINUTE,
      intensity: 7,
      title: 'renamed',
    });
    await test.store.saveClip(again);
    const { clips, total_count } = await test.store.listClips({ limit: 100, offset: 0 });
    expect(total_count).toBe(6);
    expect(clips.find((c) => c.clip_id === 'clip-1')).toEqual(again);
  });

  it('refuses a second clip for the same moment', async () => {
    const { clips } = await test.store.listClips({ limit: 100, offset: 0 });
    const momentId = clips.find((c) => c.moment_id !== null)?.moment_id ?? null;
    await expect(
      test.store.saveClip(clip({ clip_id: 'duplicate', detected_at: T0, moment_id: momentId })),
    ).rejects.toThrow(/clips_moment_id/);
  });

  it('lists newest first with intensity and time filters, total and offset', async () => {
    const strong = await test.store.listClips({ minIntensity: 9, limit: 2, offset: 0 });
    expect(strong.total_count).toBe(4);
    expect(strong.clips.map((c) => c.clip_id)).toEqual(['clip-5', 'clip-4']);

    const next = await test.store.listClips({ minIntensity: 9, limit: 2, offset: 2 });
    expect(next.clips.map((c) => c.clip_id)).toEqual(['clip-3', 'AwkwardHelplessSalamander']);

    const window = await test.store.listClips({
      start: T0 + 2 * MINUTE,
      end: T0 + 4 * MINUTE,
      limit: 10,
      offset: 0,
    });
    expect(window.clips.map((c) => c.clip_id)).toEqual(['clip-3', 'clip-2']);
    expect(window.total_count).toBe(2);
    expect(window.clips[0]?.channel).toBe('alpha');
  });
});

describe("a clip and its moment's score", () => {
  let test: TestStore;
  beforeAll(async () => {
    test = await openTestStore();
  });
  afterAll(() => test.dispose());

  it("follows its moment's final score: a clip is taken before the moment ends", async () => {
    const open = moment({ start_ts: T0 + 30 * MINUTE, score: 6.5 });
    await test.store.saveClip(
      clip({ clip_id: 'early', detected_at: T0 + 30 * MINUTE, moment_id: open.id, intensity: 6.5 }),
    );
    await test.store.saveMoments([{ ...open, score: 9.25 }]);
    const { clips } = await test.store.listClips({ limit: 100, offset: 0 });
    expect(clips.map((c) => [c.clip_id, c.intensity])).toEqual([['early', 9.25]]);
  });
});
