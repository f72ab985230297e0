import { describe, expect, it } from 'vitest';
import { FIRST_MESSAGE, NO_ROW, PendingChat } from '../../src/processing/pending-chat.ts';
import { chat, lcg } from '../support/chat.ts';

describe('PendingChat', () => {
  it('keeps many interleaved lists apart and reads each in event-time order', () => {
    const pending = new PendingChat();
    const random = lcg(11);
    // Reference: each open list as plain messages.
    const lists = new Map<number, { head: number; tail: number; offsets: number[] }>();
    let nextList = 0;
    for (let step = 0; step < 20_000; step++) {
      if (lists.size < 50 && random() < 0.1)
        lists.set(nextList++, { head: NO_ROW, tail: NO_ROW, offsets: [] });
      const ids = [...lists.keys()];
      if (ids.length === 0) continue;
      const list = lists.get(ids[Math.floor(random() * ids.length)]!)!;
      if (random() < 0.05) {
        // Close the list: rows come back sorted by offset, then freed.
        const count = pending.collect(list.head);
        expect(count).toBe(list.offsets.length);
        const read = Array.from(pending.order.subarray(0, count), (row) => pending.offsetMs[row]!);
        expect(read).toEqual([...list.offsets].sort((a, b) => a - b));
        pending.release(pending.relink(count));
        lists.delete(ids.find((id) => lists.get(id) === list)!);
        continue;
      }
      const offset = Math.floor(random() * 1000);
      const message = chat({ ts: 1_700_000_000_000 + offset, first_msg: random() < 0.5 });
      list.tail = pending.append(list.tail, message, offset, false);
      if (list.head === NO_ROW) list.head = list.tail;
      list.offsets.push(offset);
      expect(pending.flags[list.tail]! & FIRST_MESSAGE).toBe(message.first_msg ? FIRST_MESSAGE : 0);
      expect(pending.text[list.tail]).toBe(message.text);
    }
    // Freed rows are reused: the table grew only as far as the most rows ever open at once.
    expect(pending.capacity).toBeLessThanOrEqual(4096);
  });

  it('orders messages of the same millisecond the same way whatever their arrival', () => {
    const messages = Array.from({ length: 6 }, (_, i) =>
      chat({ ts: 1_700_000_000_500, id: `id-${i}` }),
    );
    const order = (arrival: typeof messages) => {
      const pending = new PendingChat();
      let head = NO_ROW;
      let tail = NO_ROW;
      for (const message of arrival) {
        tail = pending.append(tail, message, 500, false);
        if (head === NO_ROW) head = tail;
      }
      const count = pending.collect(head);
      // A fresh table hands out rows 0, 1, 2… in arrival order.
      return Array.from(pending.order.subarray(0, count), (row) => messages.indexOf(arrival[row]!));
    };
    expect(order([...messages].reverse())).toEqual(order(messages));
  });

  it('sorts a second nearly in order and one far out of order the same way, ties kept stable', () => {
    // Several copies of each message (same millisecond, same id: a tie `compare` cannot break)
    // must keep their arrival order, whichever sort handles the second.
    const random = lcg(5);
    const messages = Array.from({ length: 300 }, (_, i) =>
      chat({ ts: 1_700_000_000_000 + Math.floor(i / 3), id: `id-${i % 40}` }),
    );
    const sorted = (arrival: number[]) => {
      const pending = new PendingChat();
      let head = NO_ROW;
      let tail = NO_ROW;
      for (const i of arrival) {
        tail = pending.append(tail, messages[i]!, messages[i]!.ts % 1000, false);
        if (head === NO_ROW) head = tail;
      }
      const count = pending.collect(head);
      return Array.from(pending.order.subarray(0, count), (row) => arrival[row]!);
    };
    const inOrder = messages.map((_, i) => i);
    // A few late by a few places (insertion), and the whole second reversed (the fallback).
    const nearly = [...inOrder];
    for (let k = 0; k < 30; k++) {
      const at = 3 + Math.floor(random() * (nearly.length - 3));
      [nearly[at - 3], nearly[at]] = [nearly[at]!, nearly[at - 3]!];
    }
    for (const arrival of [nearly, [...inOrder].reverse()]) {
      const got = sorted(arrival);
      expect(got.map((i) => messages[i]!.ts)).toEqual(inOrder.map((i) => messages[i]!.ts));
      // Equal messages (same millisecond and id) in arrival order.
      for (let k = 1; k < got.length; k++) {
        const [a, b] = [got[k - 1]!, got[k]!];
        if (messages[a]!.ts === messages[b]!.ts && messages[a]!.id === messages[b]!.id)
          expect(arrival.indexOf(a)).toBeLessThan(arrival.indexOf(b));
      }
    }
    // Both give the messages in the same order, up to the copies of one message.
    const key = (i: number) => `${messages[i]!.ts}/${messages[i]!.id}`;
    expect(sorted(nearly).map(key)).toEqual(sorted([...inOrder].reverse()).map(key));
  });
});
