import { describe, expect, it } from 'vitest';
import { peakOffsetSeconds } from '../../src/api/feed-clip.ts';

const START = 1_714_564_800_000;

describe("a clip's peak offset", () => {
  const window = { clip_start_ts: START, clip_end_ts: START + 30_000, duration: 30 };

  it('counts whole seconds from the clip start to the peak', () => {
    expect(peakOffsetSeconds({ ...window, peak_ts: START + 18_400 })).toBe(18);
    expect(peakOffsetSeconds({ ...window, peak_ts: START })).toBe(0);
    expect(peakOffsetSeconds({ ...window, peak_ts: START + 30_000 })).toBe(30);
  });

  it('is null when the peak or the clip start is unknown', () => {
    expect(peakOffsetSeconds({ ...window, peak_ts: null })).toBeNull();
    expect(peakOffsetSeconds({ ...window, clip_start_ts: null, peak_ts: START })).toBeNull();
  });

  it('is null when the clip missed the peak, judging the end by the duration when unknown', () => {
    expect(peakOffsetSeconds({ ...window, peak_ts: START - 1_000 })).toBeNull();
    expect(peakOffsetSeconds({ ...window, peak_ts: START + 31_000 })).toBeNull();
    const noEnd = { ...window, clip_end_ts: null };
    expect(peakOffsetSeconds({ ...noEnd, peak_ts: START + 31_000 })).toBeNull();
    expect(peakOffsetSeconds({ ...noEnd, peak_ts: START + 29_000 })).toBe(29);
    expect(peakOffsetSeconds({ ...noEnd, duration: null, peak_ts: START + 90_000 })).toBe(90);
  });
});
