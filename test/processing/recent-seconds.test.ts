import { describe, expect, it } from 'vitest';
import { ChannelColumns } from '../../src/processing/channel-columns.ts';
import { NO_ROW, PendingChat } from '../../src/processing/pending-chat.ts';
import { RecentSeconds } from '../../src/processing/recent-seconds.ts';
import { lcg } from '../support/chat.ts';

/** A ring in the second of two channels' slots, the first one's integers all set. */
function ring(capacity: number): RecentSeconds {
  const columns = new ChannelColumns(RecentSeconds.ints(capacity) + 3, 0);
  columns.ints.fill(7, 0, columns.intsPerSlot);
  columns.allocate();
  return new RecentSeconds(
    capacity,
    new PendingChat(),
    columns,
    columns.allocate() * columns.intsPerSlot + 3,
  );
}

describe('RecentSeconds', () => {
  it('sums and lists the last seconds like a plain array of them', () => {
    const recent = ring(20);
    const reference: { second: number; reactions: number; reacting: number; emoting: number }[] =
      [];
    const random = lcg(4);
    for (let second = 1_700_000_000; second < 1_700_000_100; second++) {
      const counts = {
        reactions: Math.floor(random() * 50),
        reacting: Math.floor(random() * 30),
        emoting: Math.floor(random() * 10),
      };
      recent.push(second, counts, NO_ROW);
      reference.push({ second, ...counts });
      for (const width of [1, 5, 13, 20]) {
        const last = reference.slice(-width);
        expect(recent.sum('messages', width)).toBe(last.reduce((sum, s) => sum + s.reactions, 0));
        expect(recent.sum('emotes', width)).toBe(last.reduce((sum, s) => sum + s.emoting, 0));
      }
      expect(recent.last(5).map(({ details: _, ...counts }) => counts)).toEqual(
        reference.slice(-5),
      );
    }
  });

  it('takes seconds one at a time', () => {
    const recent = ring(5);
    const counts = { reactions: 0, reacting: 0, emoting: 0 };
    recent.push(10, counts, NO_ROW);
    expect(() => recent.push(12, counts, NO_ROW)).toThrow(/does not follow/);
  });
});
