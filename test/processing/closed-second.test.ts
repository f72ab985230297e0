import { describe, expect, it } from 'vitest';
import { ChannelColumns } from '../../src/processing/channel-columns.ts';
import { ChatFilter } from '../../src/processing/chat-filter.ts';
import { ClosedSecond } from '../../src/processing/closed-second.ts';
import { DEFAULT_DETECTOR_PARAMS } from '../../src/processing/detector-params.ts';
import { NO_ROW, PendingChat } from '../../src/processing/pending-chat.ts';
import { SecondDetails } from '../../src/processing/second-details.ts';
import { DetectorShape, SpikeDetector } from '../../src/processing/spike-detector.ts';
import { chat } from '../support/chat.ts';

const T0 = 1_700_000_000_000;

/** Puts one second's messages (one per user, in the given order of offsets) in `pending`. */
function pendingSecond(
  pending: PendingChat,
  second: number,
  users: string[],
  options: { text?: string; offsets?: number[] } = {},
): number {
  const filter = new ChatFilter();
  let head = NO_ROW;
  let tail = NO_ROW;
  users.forEach((user, i) => {
    const offset = options.offsets?.[i] ?? i;
    const message = chat({
      ts: second * 1000 + offset,
      user,
      text: options.text ?? `nice ${i}`,
      emotes: [{ id: '1', name: 'KEKW', start: 0, end: 3 }],
    });
    tail = pending.append(tail, message, offset, filter.isNoise(message));
    if (head === NO_ROW) head = tail;
  });
  return head;
}

describe('ClosedSecond', () => {
  it('counts a second and keeps only the texts asked for', () => {
    const second = T0 / 1000;
    const texts = (keepTexts: boolean) => {
      const pending = new PendingChat();
      const closing = new ClosedSecond(pending);
      closing.close(
        second,
        pendingSecond(pending, second, ['a', 'b', 'a']),
        new ChatFilter(),
        true,
      );
      expect(closing).toMatchObject({ messages: 3, reactions: 3, emoting: 3 });
      expect(closing.emoteCounts()).toEqual(['KEKW', 3]);
      const details = SecondDetails.of(pending, closing.retire(keepTexts));
      expect([...details.reactors].sort()).toHaveLength(3);
      return details.texts;
    };
    expect(texts(true)).toEqual(['nice 0', 'nice 1', 'nice 2']);
    expect(texts(false)).toEqual([]);
  });

  it('filters in event-time order, whatever the arrival order', () => {
    const second = T0 / 1000;
    // One chatter says the same thing three times; only the earliest counts.
    const close = (offsets: number[]) => {
      const pending = new PendingChat();
      const closing = new ClosedSecond(pending);
      const head = pendingSecond(pending, second, ['a', 'a', 'a'], { text: 'same', offsets });
      closing.close(second, head, new ChatFilter(), false);
      expect(closing.reactions).toBe(1);
      return SecondDetails.of(pending, closing.retire(true)).texts;
    };
    expect(close([900, 100, 500])).toEqual(close([100, 500, 900]));
  });
});

describe('SpikeDetector.isNotable', () => {
  it('keeps texts while warming up and for unusual seconds, not for ordinary ones', () => {
    const pending = new PendingChat();
    const shape = new DetectorShape(DEFAULT_DETECTOR_PARAMS);
    const columns = new ChannelColumns(shape.ints, shape.floats);
    const slot = columns.allocate();
    const detector = new SpikeDetector(
      shape,
      '1',
      pending,
      columns,
      slot * shape.ints,
      slot * shape.floats,
    );
    const filter = new ChatFilter();
    const closing = new ClosedSecond(pending);
    const counts = (reacting: number) => ({ reactions: reacting, reacting, emoting: reacting });
    const start = T0 / 1000;
    for (let s = 0; s < 120; s++) {
      const users = [`u${s % 40}`, `v${s % 37}`];
      if (s < DEFAULT_DETECTOR_PARAMS.warmupS) expect(detector.isNotable(counts(2))).toBe(true);
      closing.close(start + s, pendingSecond(pending, start + s, users), filter, false);
      detector.observe(closing, 'c');
    }
    expect(detector.isNotable(counts(2))).toBe(false);
    expect(detector.isNotable(counts(12))).toBe(true);
  });
});
