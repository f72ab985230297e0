// Hysteresis on plain data: join at JOIN_RANK, leave only beyond LEAVE_RANK or offline, allow
// and deny lists, and a deterministic result.
import { describe, expect, it } from 'vitest';
import {
  rankingPolicy,
  rankStreams,
  type RankingResult,
} from '../../../src/sources/twitch/stream-ranking.ts';
import { channelsRanked as ranking } from './rank-orders.ts';

const policy = rankingPolicy();

/** Runs polls in sequence from an empty watched set; returns every result. */
function run(polls: string[][], options = policy): RankingResult[] {
  let watched: string[] = [];
  return polls.map((ranked) => {
    const result = rankStreams({ watched, ranked }, options);
    watched = result.watched;
    return result;
  });
}

describe('rankStreams', () => {
  it('joins the top JOIN_RANK channels on the first poll, best first', () => {
    const [first] = run([ranking(40)]);
    expect(first?.joins).toEqual(ranking(15));
    expect(first?.watched).toEqual(ranking(15));
    expect(first?.leaves).toEqual([]);
    expect(first?.ranks.get('ch15')).toBe(15);
  });

  it('joins a channel oscillating between rank 14 and 25 once and never leaves it', () => {
    const polls = Array.from({ length: 12 }, (_, i) =>
      ranking(40, { wobble: i % 2 === 0 ? 14 : 25 }),
    );
    const results = run(polls);
    expect(results.flatMap((r) => r.joins).filter((l) => l === 'wobble')).toHaveLength(1);
    expect(results.flatMap((r) => r.leaves)).toEqual([]);
    expect(results.every((r) => r.watched.includes('wobble'))).toBe(true);
  });

  it('does not join a channel that never climbs to JOIN_RANK', () => {
    const results = run([
      ranking(40, { near: 16 }),
      ranking(40, { near: 25 }),
      ranking(40, { near: 16 }),
    ]);
    expect(results.some((r) => r.watched.includes('near'))).toBe(false);
  });

  it('keeps a channel down to LEAVE_RANK and leaves it at rank 31', () => {
    const results = run([
      ranking(40, { faller: 14 }),
      ranking(40, { faller: 30 }),
      ranking(40, { faller: 31 }),
      ranking(40, { faller: 25 }),
    ]);
    expect(results.map((r) => r.watched.includes('faller'))).toEqual([true, true, false, false]);
    expect(results[2]?.leaves).toEqual(['faller']);
  });

  it('causes no churn when ranks jitter inside the hysteresis band', () => {
    // Each poll every channel's score moves by up to 3 ranks either way (deterministic), so a
    // joined channel never falls past rank 30 and hysteresis must absorb all of it.
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const base = ranking(40);
    const polls = Array.from({ length: 50 }, () =>
      base
        .map((login, i) => ({ login, score: i + (random() * 2 - 1) * 3 }))
        .sort((a, b) => a.score - b.score)
        .map((entry) => entry.login),
    );
    const results = run(polls);
    expect(results.flatMap((r) => r.leaves)).toEqual([]);
    const joins = results.flatMap((r) => r.joins);
    expect(new Set(joins).size).toBe(joins.length);
    // The same ranks without a hysteresis band do churn: the test can tell the difference.
    const noBand = run(polls, rankingPolicy({ joinRank: 15, leaveRank: 15 }));
    expect(noBand.flatMap((r) => r.leaves).length).toBeGreaterThan(5);
  });

  it('leaves a watched channel at once when it is offline, whatever its last rank', () => {
    const [, second] = run([ranking(40), ranking(40).filter((l) => l !== 'ch01')]);
    expect(second?.leaves).toEqual(['ch01']);
    // ch16 is now rank 15.
    expect(second?.joins).toEqual(['ch16']);
  });

  it('treats a live stream outside the ranked list as beyond every rank', () => {
    const watched = ranking(15);
    const ranked = ranking(40).filter((l) => l !== 'ch03');
    const result = rankStreams({ watched, ranked, live: [...ranked, 'ch03'] }, policy);
    expect(result.leaves).toEqual(['ch03']);
  });

  it('always watches allow-listed channels while live, and never denied ones', () => {
    const options = rankingPolicy({ allow: ['Small', 'gone'], deny: ['CH01', 'small2'] });
    const ranked = [...ranking(40), 'small2'];
    const result = rankStreams({ watched: [], ranked, live: [...ranked, 'small'] }, options);
    expect(result.watched).toContain('small');
    expect(result.watched).not.toContain('gone');
    expect(result.watched).not.toContain('ch01');
    // The denied channel takes no rank: ch16 moves up to 15 and is joined.
    expect(result.ranks.get('ch02')).toBe(1);
    expect(result.watched).toEqual([...ranking(16).slice(1), 'small']);
    const later = rankStreams({ watched: result.watched, ranked, live: ranked }, options);
    expect(later.leaves).toEqual(['small']);
  });

  it('lets deny win over allow and drops a denied channel that was watched', () => {
    const options = rankingPolicy({ allow: ['ch02'], deny: ['ch02'] });
    const result = rankStreams({ watched: ['ch02'], ranked: ranking(40) }, options);
    expect(result.watched).not.toContain('ch02');
    expect(result.leaves).toEqual(['ch02']);
  });

  it('is deterministic and independent of the order of the watched set', () => {
    const ranked = ranking(40, { x: 20, y: 3 });
    const watched = ['ch20', 'x', 'ch05', 'zz-offline', 'aa-offline'];
    const a = rankStreams({ watched, ranked }, policy);
    const b = rankStreams({ watched: [...watched].reverse(), ranked }, policy);
    expect(b).toEqual(a);
    expect(a.leaves).toEqual(['aa-offline', 'zz-offline']);
    expect(a.watched.slice(0, 3)).toEqual(['ch01', 'ch02', 'y']);
  });

  it('refuses thresholds that cannot work', () => {
    expect(() => rankingPolicy({ joinRank: 0 })).toThrow(/join rank/);
    expect(() => rankingPolicy({ joinRank: 20, leaveRank: 10 })).toThrow(/leave rank/);
    expect(rankingPolicy({ joinRank: 5, leaveRank: 5 }).leaveRank).toBe(5);
  });
});
