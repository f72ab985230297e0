import { describe, expect, it } from 'vitest';
import { clipCandidates, clipTitle } from '../../src/clips/clip-candidate.ts';
import { clipDeadline } from '../../src/clips/clip-window.ts';
import { moment } from '../support/records.ts';

const T = 1_700_000_000_000;

describe('clip candidates', () => {
  it('are the moments at or above the threshold, with the deadline of their peak', () => {
    const strong = moment({ start_ts: T, score: 6 });
    const weak = moment({ start_ts: T + 60_000, score: 5.99 });
    expect(clipCandidates([strong, weak], 6)).toEqual([
      {
        moment_id: strong.id,
        channel_id: '1001',
        channel: 'alpha',
        start_ts: T,
        peak_ts: strong.peak_ts,
        score: 6,
        title: '"no way" (40 chatters reacted)',
        clip_by: clipDeadline(strong.peak_ts),
      },
    ]);
  });

  it("are titled with what chat said, within Twitch's 100 characters", () => {
    const base = moment({ start_ts: T });
    const emotesOnly = { ...base, explanation: { ...base.explanation, top_phrases: [] } };
    expect(clipTitle(emotesOnly)).toBe('"PogChamp" (40 chatters reacted)');
    const silent = {
      ...base,
      explanation: { ...base.explanation, top_phrases: [], top_emotes: [] },
    };
    expect(clipTitle(silent)).toBe('alpha: 40 chatters reacted');
    const long = {
      ...base,
      explanation: { ...base.explanation, top_phrases: [{ name: 'x'.repeat(300), count: 9 }] },
    };
    expect(clipTitle(long)).toHaveLength(100);
    expect(clipTitle(long).endsWith('…')).toBe(true);
  });
});
