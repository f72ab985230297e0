import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatMultiplier,
  formatRate,
  formatRelative,
  formatVideoTime,
} from '../../src/web/lib/format.ts';

describe('dashboard formatting', () => {
  it('writes durations in the two largest units', () => {
    expect(formatDuration(4_400)).toBe('4 s');
    expect(formatDuration(60_000)).toBe('1 min');
    expect(formatDuration(80_000)).toBe('1 min 20 s');
    expect(formatDuration(2 * 3_600_000 + 14 * 60_000 + 5_000)).toBe('2 h 14 min');
  });

  it('writes positions in a video as players do', () => {
    expect(formatVideoTime(0)).toBe('0:00');
    expect(formatVideoTime(17.4)).toBe('0:17');
    expect(formatVideoTime(65)).toBe('1:05');
    expect(formatVideoTime(3_723)).toBe('1:02:03');
  });

  it('writes ages relative to now', () => {
    const now = 1_700_000_000_000;
    expect(formatRelative(now + 2_000, now)).toBe('just now');
    expect(formatRelative(now - 42_000, now)).toBe('42 s ago');
    expect(formatRelative(now - 3 * 60_000, now)).toBe('3 min ago');
    expect(formatRelative(now - 5 * 3_600_000, now)).toBe('5 h ago');
    expect(formatRelative(now - 30 * 3_600_000, now)).toBe('yesterday');
  });

  it('compares a rate with its baseline, and says nothing against silence', () => {
    expect(formatMultiplier(14.2, 1.3)).toBe('11×');
    expect(formatMultiplier(3.4, 1)).toBe('3.4×');
    expect(formatMultiplier(5, 0)).toBeNull();
  });

  it('keeps one decimal for small rates only', () => {
    expect(formatRate(1.25)).toBe('1.3');
    expect(formatRate(99.94)).toBe('99.9');
    expect(formatRate(238.4)).toBe('238');
    expect(formatRate(null)).toBe('—');
  });
});
