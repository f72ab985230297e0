import { describe, expect, it } from 'vitest';
import { createChannels } from '../../../src/sources/simulator/channels.ts';
import { CHAT_BOT_LOGINS } from '../../../src/sources/simulator/users.ts';

describe('createChannels', () => {
  const channels = createChannels({ seed: 11, count: 40 });

  it('is reproducible from the seed', () => {
    const again = createChannels({ seed: 11, count: 40 });
    const summary = (list: typeof channels): string[] =>
      list.map((c) => `${c.id} ${c.login} ${c.chatRate} ${c.title}`);
    expect(summary(again)).toEqual(summary(channels));
    expect(summary(createChannels({ seed: 12, count: 40 }))).not.toEqual(summary(channels));
  });

  it('spans orders of magnitude of chat rate, with viewers roughly proportional', () => {
    const rates = channels.map((channel) => channel.chatRate);
    expect(Math.max(...rates) / Math.min(...rates)).toBeGreaterThanOrEqual(100);
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(0.1);
    expect(Math.max(...rates)).toBeLessThanOrEqual(150);
    // Heavy tail: the median channel is small.
    const sorted = [...rates].sort((a, b) => a - b);
    expect(sorted[20]).toBeLessThan(2);
    const logRates = rates.map(Math.log);
    const logViewers = channels.map((channel) => Math.log(channel.viewers));
    expect(correlation(logRates, logViewers)).toBeGreaterThan(0.9);
  });

  it('has Twitch-shaped identities, games, languages and emotes', () => {
    expect(new Set(channels.map((channel) => channel.id)).size).toBe(channels.length);
    expect(new Set(channels.map((channel) => channel.login)).size).toBe(channels.length);
    for (const channel of channels) {
      expect(channel.id).toMatch(/^\d{8,10}$/);
      expect(channel.language).toMatch(/^[a-z]{2}$/);
      expect(channel.game.length).toBeGreaterThan(0);
      expect(channel.title.length).toBeGreaterThan(0);
      expect(channel.emotes.length).toBeGreaterThanOrEqual(4);
      for (const emote of channel.emotes) {
        expect(emote.name.startsWith(channel.emotePrefix)).toBe(true);
        expect(emote.id).toMatch(/^emotesv2_[0-9a-f]{32}$/);
      }
      expect(channel.chatBots.length).toBeGreaterThan(0);
      for (const bot of channel.chatBots)
        expect(CHAT_BOT_LOGINS).toContain(channel.chatters.directory.login(bot));
    }
  });

  it('gives bigger channels bigger chatter pools of distinct people', () => {
    const bySize = [...channels].sort((a, b) => a.chatRate - b.chatRate);
    expect((bySize.at(-1)?.chatters.size ?? 0) / (bySize[0]?.chatters.size ?? 1)).toBeGreaterThan(
      20,
    );
    for (const channel of channels) {
      const ids = new Set(
        Array.from({ length: channel.chatters.size }, (_, slot) => channel.chatters.id(slot)),
      );
      expect(ids.size).toBe(channel.chatters.size);
    }
  });

  it('shares chatters between channels, most within a community (same game and language)', () => {
    let sameCommunity = 0;
    let otherCommunity = 0;
    let sameCommunityPairs = 0;
    let otherCommunityPairs = 0;
    const members = channels.map(
      (channel) =>
        new Set(
          Array.from({ length: channel.chatters.size }, (_, s) => channel.chatters.userIndex(s)),
        ),
    );
    for (let a = 0; a < channels.length; a++) {
      for (let b = a + 1; b < channels.length; b++) {
        const left = members[a] as Set<number>;
        const right = members[b] as Set<number>;
        let shared = 0;
        for (const user of left) if (right.has(user)) shared += 1;
        const jaccard = shared / (left.size + right.size - shared);
        const same =
          channels[a]?.game === channels[b]?.game &&
          channels[a]?.language === channels[b]?.language;
        if (same) {
          sameCommunity += jaccard;
          sameCommunityPairs += 1;
        } else {
          otherCommunity += jaccard;
          otherCommunityPairs += 1;
        }
      }
    }
    expect(sameCommunityPairs).toBeGreaterThan(0);
    expect(otherCommunity).toBeGreaterThan(0);
    expect(sameCommunity / sameCommunityPairs).toBeGreaterThan(
      (5 * otherCommunity) / otherCommunityPairs,
    );
  });

  it('rejects a population that cannot exist', () => {
    expect(() => createChannels({ seed: 1, count: 0 })).toThrow(RangeError);
    expect(() => createChannels({ seed: 1, count: 3, chatRate: { min: 5, max: 1 } })).toThrow(
      RangeError,
    );
  });
});

function correlation(xs: readonly number[], ys: readonly number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    const y = ys[i] as number;
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}
