import { describe, expect, it } from 'vitest';
import { ChatFilter } from '../../src/processing/chat-filter.ts';
import { DEFAULT_DETECTOR_PARAMS } from '../../src/processing/detector-params.ts';
import { addPending, type PendingChat } from '../../src/processing/pending-chat.ts';
import { SecondBucket } from '../../src/processing/second-bucket.ts';
import { SpikeDetector } from '../../src/processing/spike-detector.ts';
import { chat } from '../support/chat.ts';

const T0 = 1_700_000_000_000;

function pendingOf(second: number, users: string[], text = 'nice'): PendingChat {
  const filter = new ChatFilter();
  const pending: PendingChat = [];
  users.forEach((user, i) => {
    const message = chat({
      ts: second * 1000 + i,
      user,
      text: `${text} ${i}`,
      emotes: [{ id: '1', name: 'KEKW', start: 0, end: 3 }],
    });
    addPending(pending, message, filter.isNoise(message));
  });
  return pending;
}

describe('SecondBucket', () => {
  it('keeps an ordinary second’s counts and emotes but lets its texts go', () => {
    const second = T0 / 1000;
    const close = (keepTexts: boolean) =>
      SecondBucket.close(second, pendingOf(second, ['a', 'b', 'a']), new ChatFilter(), {
        withChatters: true,
        keepTexts: () => keepTexts,
      });
    const texts = (bucket: SecondBucket) => {
      const seen: string[] = [];
      bucket.forEachText((text) => seen.push(text));
      return seen;
    };
    const emotes = (bucket: SecondBucket) => {
      const seen: [string, number][] = [];
      bucket.forEachEmote((name, count) => seen.push([name, count]));
      return seen;
    };

    const kept = close(true);
    expect(texts(kept)).toEqual(['nice 0', 'nice 1', 'nice 2']);
    const dropped = close(false);
    expect(texts(dropped)).toEqual([]);
    for (const bucket of [kept, dropped]) {
      expect(bucket).toMatchObject({ messages: 3, reactions: 3, reacting: 2, emoting: 3 });
      expect(emotes(bucket)).toEqual([['KEKW', 3]]);
      expect(bucket.chatters).toHaveLength(2);
    }
  });
});

describe('SpikeDetector.isNotable', () => {
  it('keeps texts while warming up and for unusual seconds, not for ordinary ones', () => {
    const detector = new SpikeDetector(DEFAULT_DETECTOR_PARAMS, '1');
    const filter = new ChatFilter();
    const bucketOf = (second: number, users: string[]) =>
      SecondBucket.close(second, pendingOf(second, users, `s${second}`), filter, {
        withChatters: false,
        keepTexts: () => true,
      });
    const start = T0 / 1000;
    for (let s = 0; s < 120; s++) {
      const bucket = bucketOf(start + s, [`u${s % 40}`, `v${s % 37}`]);
      if (s < DEFAULT_DETECTOR_PARAMS.warmupS) expect(detector.isNotable(bucket)).toBe(true);
      detector.observe(bucket, 'c');
    }
    const ordinary = bucketOf(start + 120, ['u1', 'v2']);
    expect(detector.isNotable(ordinary)).toBe(false);
    const crowd = bucketOf(
      start + 120,
      Array.from({ length: 12 }, (_, i) => `crowd${i}`),
    );
    expect(detector.isNotable(crowd)).toBe(true);
  });
});
