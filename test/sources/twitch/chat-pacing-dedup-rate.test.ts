// The small pure pieces of the chat side: join pacing, duplicate ids, the trailing rate.
import { describe, expect, it } from 'vitest';
import { JoinPacer } from '../../../src/sources/twitch/join-pacer.ts';
import { MessageDedup } from '../../../src/sources/twitch/message-dedup.ts';
import { RecentRate } from '../../../src/sources/twitch/recent-rate.ts';

describe('JoinPacer', () => {
  it('never lets more than `joins` through in any window, and says how long to wait', () => {
    const pacer = new JoinPacer({ joins: 3, windowMs: 1000 });
    expect([pacer.take(0), pacer.take(100), pacer.take(200)]).toEqual([0, 0, 0]);
    expect(pacer.take(300)).toBe(700); // the token spent at 0 comes back at 1000
    expect(pacer.take(999)).toBe(1);
    expect(pacer.take(1000)).toBe(0);
    expect(pacer.take(1000)).toBe(100);
    expect(pacer.take(1100)).toBe(0);
  });

  it('does not refill continuously: 2 x joins never fit in one window', () => {
    const pacer = new JoinPacer({ joins: 20, windowMs: 10_000 });
    const sent: number[] = [];
    for (let now = 0; now < 30_000; now += 50) if (pacer.take(now) === 0) sent.push(now);
    for (const start of sent) {
      expect(sent.filter((t) => t >= start && t < start + 10_000).length).toBeLessThanOrEqual(20);
    }
    expect(sent.length).toBe(60);
  });

  it('refuses limits that cannot work', () => {
    expect(() => new JoinPacer({ joins: 0, windowMs: 1000 })).toThrow(RangeError);
  });
});

describe('MessageDedup', () => {
  it('says first time once per id and forgets the oldest beyond its capacity', () => {
    const dedup = new MessageDedup(2);
    expect(dedup.firstTime('a')).toBe(true);
    expect(dedup.firstTime('a')).toBe(false);
    expect(dedup.firstTime('b')).toBe(true);
    expect(dedup.firstTime('c')).toBe(true);
    expect(dedup.size).toBe(2);
    expect(dedup.firstTime('b')).toBe(false);
    expect(dedup.firstTime('a')).toBe(true); // forgotten: outside the bound
  });
});

describe('RecentRate', () => {
  it('averages over the trailing window of whole seconds', () => {
    const rate = new RecentRate(10_000);
    rate.record(1_000, 5);
    rate.record(1_500, 5);
    rate.record(9_999, 10);
    expect(rate.perSecond(9_999)).toBe(2);
    expect(rate.perSecond(10_999)).toBe(2); // seconds 1..10: second 1 is still in
    expect(rate.perSecond(11_000)).toBe(1); // seconds 2..11: only second 9
    expect(rate.perSecond(20_000)).toBe(0);
    rate.record(25_000, 3); // reuses the ring slot of second 5
    expect(rate.perSecond(25_000)).toBeCloseTo(0.3);
  });
});
