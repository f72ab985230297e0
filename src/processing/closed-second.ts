// The second of one channel that the watermark is closing: its messages, in the pending table,
// filtered and counted in event-time order. Counts are all the detector needs for most
// seconds; what was said (texts, emotes, who) is only read when asked for: by live metrics,
// and for the few seconds a moment claims. One instance serves every channel and second in
// turn, so closing a second allocates nothing.
import type { ChatFilter } from './chat-filter.ts';
import { countEmotes } from './emote-counts.ts';
import { ACCEPTED, EMOTES, NO_ROW, type PendingChat } from './pending-chat.ts';

/** Enough texts per second to explain a moment; beyond this a busy second only counts. */
const MAX_TEXTS_PER_SECOND = 48;

export class ClosedSecond {
  second = 0;
  /** Every chat message. */
  messages = 0;
  /** Messages that passed the chat filter: the audience reacting. */
  reactions = 0;
  /** How many of those messages carry an emote. */
  emoting = 0;
  /** The chatter of each reaction (the first `reactions`; a chatter may appear more than once). */
  reactors = new Int32Array(64);
  /** The chatter of each message (the first `messages`), when asked for at `close`. */
  chatters = new Int32Array(64);
  /** First row of the second's messages, now linked in event-time order. */
  private head = NO_ROW;
  private readonly pending: PendingChat;

  constructor(pending: PendingChat) {
    this.pending = pending;
  }

  /**
   * Filters and counts the messages of the list at `head` (see PendingChat), in event-time
   * order: the repeat filter's verdicts depend on that order, not on when messages arrived.
   */
  close(second: number, head: number, filter: ChatFilter, withChatters: boolean): void {
    const { pending } = this;
    const count = pending.collect(head);
    this.reserve(count);
    this.second = second;
    this.messages = count;
    let reactions = 0;
    let emoting = 0;
    const secondStart = second * 1000;
    for (let k = 0; k < count; k++) {
      const row = pending.order[k]!;
      const chatter = pending.chatter[row]!;
      if (withChatters) this.chatters[k] = chatter;
      const flags = pending.flags[row]!;
      const ts = secondStart + pending.offsetMs[row]!;
      if (!filter.accepts(pending.said[row]!, flags, ts)) continue;
      pending.flags[row] = flags | ACCEPTED;
      this.reactors[reactions++] = chatter;
      if (flags & EMOTES) emoting += 1;
    }
    this.reactions = reactions;
    this.emoting = emoting;
    this.head = pending.relink(count);
  }

  /** How often each emote was used, over every message: name, count, name, count… */
  emoteCounts(): readonly (string | number)[] {
    return countEmotes(this.pending, this.head);
  }

  /**
   * Hands the second's messages on (see RecentSeconds): returns their first row. Only the texts
   * an explanation could quote are kept: the first reactions', and only if `keepTexts`.
   */
  retire(keepTexts: boolean): number {
    const { pending } = this;
    let kept = 0;
    for (let k = 0; k < this.messages; k++) {
      const row = pending.order[k]!;
      const quotable = keepTexts && pending.flags[row]! & ACCEPTED && kept < MAX_TEXTS_PER_SECOND;
      if (quotable) kept += 1;
      else pending.text[row] = null;
    }
    return this.head;
  }

  private reserve(count: number): void {
    if (count <= this.reactors.length) return;
    const length = Math.max(count, this.reactors.length * 2);
    this.reactors = new Int32Array(length);
    this.chatters = new Int32Array(length);
  }
}
