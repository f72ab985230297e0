// The last few closed seconds of one channel, as the detector reads them: the count of each
// signal, and their messages (rows in the pending table, see ClosedSecond.retire) in case a
// moment claims them. Every active channel keeps one, so it is a ring of integers in the
// channels' shared columns (see ChannelColumns), not an object per second.
import type { ChannelColumns } from './channel-columns.ts';
import type { Signal } from './moment.ts';
import { NO_ROW, type PendingChat } from './pending-chat.ts';
import { SecondDetails } from './second-details.ts';

/** A second's count of each signal (see `Signal` in moment.ts). */
export interface SecondCounts {
  /** Messages that passed the chat filter. */
  reactions: number;
  /** Distinct chatters among them. */
  reacting: number;
  /** Reactions carrying an emote. */
  emoting: number;
}

/** One second of a moment: its counts, and what was said. */
export interface MomentSecond extends SecondCounts {
  second: number;
  details: SecondDetails;
}

export function countOf(second: SecondCounts, signal: Signal): number {
  return signal === 'chatters'
    ? second.reacting
    : signal === 'emotes'
      ? second.emoting
      : second.reactions;
}

/** Position of each signal's count among a second's fields in the ring. */
const FIELD: Record<Signal, number> = { messages: 0, chatters: 1, emotes: 2 };
/** Position of the first pending row of the second's messages. */
const HEAD = 3;
const FIELDS = 4;

export class RecentSeconds {
  /**
   * Each second in the ring, `FIELDS` integers from `base` in `columns.ints`: its reactions,
   * reacting and emoting counts, and the first pending row of its messages.
   */
  private readonly columns: ChannelColumns;
  private readonly base: number;
  private readonly pending: PendingChat;
  private readonly capacity: number;
  /**
   * Read only once the ring holds a second. Not -Infinity: a field that ever holds a non-integer
   * keeps every channel's value in a heap number of its own.
   */
  private newest = 0;
  /**
   * Where the newest second is in the ring. A cursor, not `second % capacity`: epoch seconds are
   * not small integers in V8, and a floating-point remainder per read is slow.
   */
  private newestSlot = -1;
  /** How many seconds the ring holds (at most `capacity`). */
  length = 0;

  /** Integers the ring takes in the columns. */
  static ints(capacity: number): number {
    return capacity * FIELDS;
  }

  /** The ring takes `RecentSeconds.ints(capacity)` integers from `base` in `columns.ints`. */
  constructor(capacity: number, pending: PendingChat, columns: ChannelColumns, base: number) {
    this.capacity = capacity;
    this.pending = pending;
    this.columns = columns;
    this.base = base;
    const { ints } = columns;
    for (let slot = 0; slot < capacity; slot++) ints[base + slot * FIELDS + HEAD] = NO_ROW;
  }

  /**
   * Adds the second after the newest one (seconds close one at a time, none skipped), whose
   * messages start at row `head`; the oldest second's messages go back to the pending table.
   */
  push(second: number, counts: SecondCounts, head: number): void {
    if (this.length > 0 && second !== this.newest + 1) {
      throw new Error(`second ${second} does not follow ${this.newest}`);
    }
    this.newest = second;
    this.length = Math.min(this.length + 1, this.capacity);
    const slot = (this.newestSlot =
      this.newestSlot + 1 === this.capacity ? 0 : this.newestSlot + 1);
    const { ints } = this.columns;
    const at = this.base + slot * FIELDS;
    ints[at + FIELD.messages] = counts.reactions;
    ints[at + FIELD.chatters] = counts.reacting;
    ints[at + FIELD.emotes] = counts.emoting;
    this.pending.release(ints[at + HEAD]!);
    ints[at + HEAD] = head;
  }

  /** Gives every second's messages back to the pending table (the channel is going away). */
  release(): void {
    const { ints } = this.columns;
    for (let at = this.base + HEAD; at < this.base + this.capacity * FIELDS; at += FIELDS) {
      this.pending.release(ints[at]!);
      ints[at] = NO_ROW;
    }
    this.length = 0;
  }

  /** Sum of `signal` over the last `width` seconds (those the ring holds). */
  sum(signal: Signal, width: number): number {
    // Read for every test of every second closed: the loop keeps its bounds in locals and steps
    // back one slot at a time rather than working out each slot from the newest.
    const { ints } = this.columns;
    const { capacity } = this;
    const at = this.base + FIELD[signal];
    const seconds = Math.min(width, this.length);
    let sum = 0;
    let slot = this.newestSlot;
    for (let back = 0; back < seconds; back++) {
      sum += ints[at + slot * FIELDS]!;
      slot = slot === 0 ? capacity - 1 : slot - 1;
    }
    return sum;
  }

  /** The last `count` seconds (at most those held), oldest first. */
  last(count: number): MomentSecond[] {
    const seconds: MomentSecond[] = [];
    const { ints } = this.columns;
    for (let back = Math.min(count, this.length) - 1; back >= 0; back--) {
      const at = this.base + this.before(this.newestSlot, back) * FIELDS;
      seconds.push({
        second: this.newest - back,
        reactions: ints[at + FIELD.messages]!,
        reacting: ints[at + FIELD.chatters]!,
        emoting: ints[at + FIELD.emotes]!,
        details: SecondDetails.of(this.pending, ints[at + HEAD]!),
      });
    }
    return seconds;
  }

  /** The slot `back` (< capacity) seconds before `slot`. */
  private before(slot: number, back: number): number {
    return slot >= back ? slot - back : slot - back + this.capacity;
  }
}
