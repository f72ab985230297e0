import { describe, expect, it } from 'vitest';
import { ChannelColumns } from '../../src/processing/channel-columns.ts';
import { SlidingDistinct } from '../../src/processing/sliding-distinct.ts';

/** Chatter keys for readable test ids. */
const ids = (...names: string[]): number[] => names.map((name) => name.charCodeAt(0));

describe('SlidingDistinct', () => {
  it('counts each id once within the window and forgets it after', () => {
    const distinct = new SlidingDistinct(3);
    distinct.add(10, ids('a', 'b'));
    distinct.add(11, ids('a', 'c'));
    expect(distinct.count).toBe(3);
    distinct.add(12, ids('a'));
    expect(distinct.count).toBe(3);
    distinct.advance(13); // b left with second 10; a and c were seen later
    expect(distinct.count).toBe(2);
    distinct.advance(15); // c (last seen 11) and a (12) are out
    expect(distinct.count).toBe(0);
  });

  it('handles jumps longer than the window', () => {
    const distinct = new SlidingDistinct(5);
    distinct.add(1, ids('a', 'b', 'c'));
    distinct.add(100, ids('a'));
    expect(distinct.count).toBe(1);
  });

  it('matches a brute-force count on random data', () => {
    const width = 7;
    const distinct = new SlidingDistinct(width);
    const history: number[][] = [];
    let seed = 1;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let second = 0; second < 500; second++) {
      const seen = Array.from({ length: Math.floor(random() * 6) }, () =>
        Math.floor(random() * 20),
      );
      history.push(seen);
      distinct.add(second, seen);
      const expected = new Set(history.slice(Math.max(0, second - width + 1)).flat()).size;
      expect(distinct.count).toBe(expected);
    }
  });

  it('counts every shorter window ending at the same second', () => {
    const width = 20;
    const distinct = new SlidingDistinct(width);
    const history: number[][] = [];
    let seed = 3;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let second = 1000; second < 1600; second++) {
      // Now and then a gap longer than the window.
      if (random() < 0.01) second += 25;
      const seen = Array.from({ length: Math.floor(random() * 8) }, () =>
        Math.floor(random() * 40),
      );
      history[second] = seen;
      distinct.add(second, seen);
      for (const within of [1, 5, 13, 20]) {
        const expected = new Set(
          history.slice(second - within + 1, second + 1).flatMap((ids) => ids ?? []),
        ).size;
        expect(distinct.countWithin(within)).toBe(expected);
      }
    }
  });

  it('keeps counts in shared columns apart from their neighbours', () => {
    const width = 6;
    const per = SlidingDistinct.ints(width) + 2;
    const floatsPer = SlidingDistinct.floats + 1;
    const columns = new ChannelColumns(per, floatsPer);
    const counts = [0, 1, 2].map((k) => {
      const slot = columns.allocate();
      columns.ints.fill(-7, slot * per, (slot + 1) * per);
      columns.floats.fill(-7, slot * floatsPer, (slot + 1) * floatsPer);
      return {
        distinct: new SlidingDistinct(width, columns, slot * per + 1, slot * floatsPer + 1),
        history: [] as number[][],
        start: 100 * k,
      };
    });
    let seed = 5;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let step = 0; step < 300; step++) {
      for (const { distinct, history, start } of counts) {
        const seen = Array.from({ length: Math.floor(random() * 6) }, () =>
          Math.floor(random() * 15),
        );
        history.push(seen);
        distinct.add(start + step, seen);
        for (const within of [1, 3, 6]) {
          const expected = new Set(history.slice(Math.max(0, step - within + 1)).flat()).size;
          expect(distinct.countWithin(within)).toBe(expected);
        }
      }
    }
    for (let slot = 0; slot < 3; slot++) {
      expect(columns.ints[slot * per]).toBe(-7);
      expect(columns.ints[(slot + 1) * per - 1]).toBe(-7);
      expect(columns.floats[slot * floatsPer]).toBe(-7);
    }
  });

  it('rejects going back in time', () => {
    const distinct = new SlidingDistinct(3);
    distinct.add(5, ids('a'));
    expect(() => distinct.add(4, ids('b'))).toThrow(/before/);
  });
});
