import { describe, expect, it } from 'vitest';
import type { Moment } from '../../src/web/backend/types.ts';
import { matchesFilter, mergeMoments } from '../../src/web/lib/moments.ts';

function moment(id: string, startTs: number, score = 8, channel = 'alpha'): Moment {
  return {
    id,
    channel_id: `id-${channel}`,
    channel,
    start_ts: startTs,
    peak_ts: startTs + 5_000,
    end_ts: startTs + 20_000,
    score,
    explanation: {
      summary: `moment ${id}`,
      rate: 10,
      baseline_rate: 1,
      chatters_rate: 5,
      baseline_chatters_rate: 0.5,
      unique_chatters: 40,
      messages: 200,
      top_emotes: [],
      top_phrases: [],
      samples: [],
    },
    live: false,
    clip: null,
  };
}

describe('moment lists', () => {
  it('keeps one entry per id, newest first, with the latest copy of a moment', () => {
    const grown = { ...moment('b', 2_000), end_ts: 60_000 };
    const merged = mergeMoments(
      [moment('a', 1_000), moment('b', 2_000)],
      [grown, moment('c', 3_000)],
    );
    expect(merged.map((entry) => entry.id)).toEqual(['c', 'b', 'a']);
    expect(merged[1]?.end_ts).toBe(60_000);
  });

  it('replaces a moment pushed again with its clip instead of adding it twice', () => {
    const clip = {
      clip_id: 'Clip1',
      url: 'https://clips.twitch.tv/Clip1',
      embed_url: 'https://clips.twitch.tv/embed?clip=Clip1',
      thumbnail_url: null,
      duration: 30,
      peak_offset_s: 17,
    };
    const merged = mergeMoments(
      [moment('a', 1_000), moment('b', 2_000)],
      [{ ...moment('a', 1_000), clip }],
    );
    expect(merged.map((entry) => [entry.id, entry.clip?.clip_id ?? null])).toEqual([
      ['b', null],
      ['a', 'Clip1'],
    ]);
  });

  it('turns a live moment final, and never a final one back to live', () => {
    const live = { ...moment('a', 1_000), live: true, end_ts: 5_000 };
    const ended = moment('a', 1_000);
    expect(mergeMoments([live], [ended])).toEqual([ended]);
    // A page read while the moment was live, answered after its final push.
    expect(mergeMoments([ended], [live])).toEqual([ended]);
    expect(mergeMoments([live], [{ ...live, end_ts: 8_000 }])[0]?.end_ts).toBe(8_000);
  });

  it('places an older page after what is already shown', () => {
    const merged = mergeMoments(
      [moment('new', 9_000)],
      [moment('old', 1_000), moment('new', 9_000)],
    );
    expect(merged.map((entry) => entry.id)).toEqual(['new', 'old']);
  });

  it('filters pushed moments like the API filters pages', () => {
    const pushed = moment('x', 1_000, 12, 'Alpha');
    expect(matchesFilter(pushed, {})).toBe(true);
    expect(matchesFilter(pushed, { minScore: 12 })).toBe(true);
    expect(matchesFilter(pushed, { minScore: 12.5 })).toBe(false);
    expect(matchesFilter(pushed, { channel: 'alpha' })).toBe(true);
    expect(matchesFilter(pushed, { channel: 'id-Alpha' })).toBe(true);
    expect(matchesFilter(pushed, { channel: 'beta' })).toBe(false);
  });
});
