import { describe, expect, it } from 'vitest';
import {
  clipDeadline,
  clipDurationS,
  clipWindow,
  MAX_DURATION_S,
  peakOffsetS,
} from '../../src/clips/clip-window.ts';

const T = 1_700_000_000_000;

describe('where a clip falls', () => {
  it("asks for Twitch's 30 s when that already reaches 10 s before the moment", () => {
    // Moment from T, called 8 s later: 10 + 8 + 5 = 23 s wanted, 30 s asked.
    expect(clipDurationS(T, T + 8_000)).toBe(30);
    expect(clipWindow(T + 8_000, 30)).toEqual({ startTs: T - 17_000, endTs: T + 13_000 });
  });

  it('asks for more when the moment began long before the call, up to 60 s', () => {
    expect(clipDurationS(T, T + 25_500)).toBe(40.5);
    expect(clipWindow(T + 25_500, 40.5).startTs).toBe(T - 10_000);
    expect(clipDurationS(T, T + 90_000)).toBe(MAX_DURATION_S);
  });

  it('puts the deadline where the longest clip just still shows 10 s before the peak', () => {
    const peak = T;
    const lastCall = clipDeadline(peak);
    expect(lastCall).toBe(T + 45_000);
    const window = clipWindow(lastCall, MAX_DURATION_S);
    expect(window.startTs).toBe(peak - 10_000);
  });

  it("measures the peak from the clip's start", () => {
    const window = clipWindow(T + 8_000, 30);
    expect(peakOffsetS(T + 2_000, window)).toBe(19);
    expect(peakOffsetS(T - 20_000, window)).toBe(-3);
  });
});
