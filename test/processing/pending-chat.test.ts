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
});
