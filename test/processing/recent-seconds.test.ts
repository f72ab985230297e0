import { describe, expect, it } from 'vitest';
import { NO_ROW, PendingChat } from '../../src/processing/pending-chat.ts';
import { RecentSeconds } from '../../src/processing/recent-seconds.ts';
import { lcg } from '../support/chat.ts';

describe('RecentSeconds', () => {
  it('sums and lists the last seconds like a plain array of them', () => {
    const ring = new RecentSeconds(20, new PendingChat());
    const reference: { second: number; reactions: number; reacting: number; emoting: number }[] =
      [];
    const random = lcg(4);
    for (let second = 1_700_000_000; second < 1_700_000_100; second++) {
      const counts = {
        reactions: Math.floor(random() * 50),
        reacting: Math.floor(random() * 30),
        emoting: Math.floor(random() * 10),
      };
      ring.push(second, counts, NO_ROW);
      reference.push({ second, ...counts });
      for (const width of [1, 5, 13, 20]) {
        const last = reference.slice(-width);
        expect(ring.sum('messages', width)).toBe(last.reduce((sum, s) => sum + s.reactions, 0));
        expect(ring.sum('emotes', width)).toBe(last.reduce((sum, s) => sum + s.emoting, 0));
      }
      expect(ring.last(5).map(({ details: _, ...counts }) => counts)).toEqual(reference.slice(-5));
    }
  });

  it('takes seconds one at a time', () => {
    const ring = new RecentSeconds(5, new PendingChat());
    const counts = { reactions: 0, reacting: 0, emoting: 0 };
    ring.push(10, counts, NO_ROW);
    expect(() => ring.push(12, counts, NO_ROW)).toThrow(/does not follow/);
  });
});
