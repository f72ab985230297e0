// Chat of recent seconds, for every channel at once: the seconds the watermark has not closed
// yet (it trails the newest event by the allowed lateness), and closed ones the detector may
// still make part of a moment (its widest window). Each message is one row of a few typed
// columns shared by all channels, and rows are reused through a free list: no per-message
// objects and no per-channel arrays to grow, copy and collect. A second's messages are a linked
// list of rows: in arrival order while the second is open, in event-time order once closed.
import type { ChatMessage } from '../events/schema.ts';
import { chatterKey, sayingKey } from './chatter-key.ts';

/** The message is a bot command or from a known bot: never part of a reaction. */
export const NOISE = 1;
/** The chatter's first message in this channel (Twitch's `first-msg` tag). */
export const FIRST_MESSAGE = 2;
/** The message carries at least one emote. */
export const EMOTES = 4;
/** The message passed the chat filter when its second closed: a reaction. */
export const ACCEPTED = 8;

/** No row: the end of a list, or an empty one. */
export const NO_ROW = -1;

/** One emote alone is the common case: the name itself, no array. */
export type EmoteNames = string | readonly string[] | null;

const INITIAL_ROWS = 1024;
/** Rows an insertion sort may move per row sorted before it gives way (see `sortOrder`). */
const MOVES_PER_ROW = 8;

export class PendingChat {
  /** Milliseconds into the message's second. */
  offsetMs = new Uint16Array(INITIAL_ROWS);
  /** Orders messages sent in the same millisecond (see `tieKey`). */
  private tie = new Int32Array(INITIAL_ROWS);
  chatter = new Int32Array(INITIAL_ROWS);
  /**
   * What the repeat filter compares (see `sayingKey`), taken as the message arrives: its text is
   * fresh in the processor's cache then, not seconds later when the second closes.
   */
  said = new Int32Array(INITIAL_ROWS);
  flags = new Uint8Array(INITIAL_ROWS);
  text: (string | null)[] = new Array<string | null>(INITIAL_ROWS).fill(null);
  emotes: EmoteNames[] = new Array<EmoteNames>(INITIAL_ROWS).fill(null);
  private next = new Int32Array(INITIAL_ROWS).fill(NO_ROW);
  /** Head of the free rows, linked through `next`. */
  private free = NO_ROW;
  /** Rows below this were handed out at least once; the rest are free and unlinked. */
  private used = 0;
  /** Rows of the last `collect`, in event-time order: read them from here. */
  order = new Int32Array(64);
  /** Whether the last `collect` found its rows in order: its list is `order` already. */
  private collectedInOrder = true;

  get capacity(): number {
    return this.chatter.length;
  }

  /**
   * Appends `message`, sent `offsetMs` into its second, to the list whose last row is `tail`;
   * returns the message's row.
   */
  append(tail: number, message: ChatMessage, offsetMs: number, noise: boolean): number {
    const row = this.allocate();
    const { emotes } = message;
    this.offsetMs[row] = offsetMs;
    this.tie[row] = tieKey(message.id);
    const chatter = (this.chatter[row] = chatterKey(message.user_id));
    this.said[row] = noise ? 0 : sayingKey(chatter, message.text);
    this.flags[row] =
      (noise ? NOISE : 0) |
      (message.first_msg ? FIRST_MESSAGE : 0) |
      (emotes.length > 0 ? EMOTES : 0);
    this.text[row] = message.text;
    this.emotes[row] =
      emotes.length === 0 ? null : emotes.length === 1 ? emotes[0]!.name : emoteNames(emotes);
    this.next[row] = NO_ROW;
    if (tail !== NO_ROW) this.next[tail] = row;
    return row;
  }

  /**
   * Puts the rows of the list starting at `head` into `order`, in event-time order (ties by
   * message id), so that what follows does not depend on the order they arrived in. Returns
   * how many there are.
   */
  collect(head: number): number {
    let count = 0;
    let inOrder = true;
    for (let row = head; row !== NO_ROW; row = this.next[row]!) {
      if (count === this.order.length) this.order = grown(this.order, count * 2);
      if (count > 0 && this.compare(this.order[count - 1]!, row) > 0) inOrder = false;
      this.order[count++] = row;
    }
    // Most seconds arrive in order: checking is O(n), sorting is not.
    if (!inOrder) this.sortOrder(count);
    this.collectedInOrder = inOrder;
    return count;
  }

  /**
   * Links the first `count` rows of `order` (from the last `collect`) into a list in that order;
   * returns its head.
   */
  relink(count: number): number {
    // Rows that arrived in order are linked so already: a pass less over them.
    for (let k = 0; k < count && !this.collectedInOrder; k++) {
      this.next[this.order[k]!] = k + 1 < count ? this.order[k + 1]! : NO_ROW;
    }
    return count > 0 ? this.order[0]! : NO_ROW;
  }

  /** Visits the rows of the list starting at `head`, in list order. */
  forEachRow(head: number, visit: (row: number) => void): void {
    for (let row = head; row !== NO_ROW; row = this.next[row]!) visit(row);
  }

  /** Frees the rows of the list starting at `head`, and lets their texts go. */
  release(head: number): void {
    let row = head;
    while (row !== NO_ROW) {
      const next = this.next[row]!;
      this.text[row] = null;
      this.emotes[row] = null;
      this.next[row] = this.free;
      this.free = row;
      row = next;
    }
  }

  /**
   * Sorts the first `count` rows of `order` by `compare`, stably: an insertion sort, in place.
   * Rows arrive nearly in order (a few late by a few milliseconds), so it moves few of them, and
   * it allocates nothing (a typed array's `sort` with a comparator copies it, and takes a closure).
   * A second far out of order (quadratic for insertion) is left to that sort; both are stable, so
   * the order is the same either way.
   */
  private sortOrder(count: number): void {
    const { order } = this;
    let movesLeft = MOVES_PER_ROW * count;
    for (let k = 1; k < count; k++) {
      const row = order[k]!;
      let to = k;
      while (to > 0 && this.compare(order[to - 1]!, row) > 0) {
        order[to] = order[to - 1]!;
        to -= 1;
      }
      order[to] = row;
      movesLeft -= k - to;
      if (movesLeft < 0) {
        order.subarray(0, count).sort((a, b) => this.compare(a, b));
        return;
      }
    }
  }

  private compare(a: number, b: number): number {
    return this.offsetMs[a]! - this.offsetMs[b]! || this.tie[a]! - this.tie[b]!;
  }

  private allocate(): number {
    if (this.free !== NO_ROW) {
      const row = this.free;
      this.free = this.next[row]!;
      return row;
    }
    if (this.used === this.capacity) this.grow();
    return this.used++;
  }

  /**
   * Half as many rows again (not twice: the table is most of the engine's memory, and unused
   * rows are waste); a crowd keeps them, a few bytes each, for the next crowd.
   */
  private grow(): void {
    const capacity = Math.ceil(this.capacity * 1.5);
    this.offsetMs = grown(this.offsetMs, capacity);
    this.tie = grown(this.tie, capacity);
    this.chatter = grown(this.chatter, capacity);
    this.said = grown(this.said, capacity);
    this.flags = grown(this.flags, capacity);
    this.next = grown(this.next, capacity);
    this.text = grownList(this.text, capacity);
    this.emotes = grownList(this.emotes, capacity);
  }
}

/**
 * The names of several emotes, by a plain loop: `map` with a callback was the most expensive line
 * of taking a message in, on chat where a message carries several emotes.
 */
function emoteNames(emotes: ChatMessage['emotes']): string[] {
  const names = new Array<string>(emotes.length);
  for (let i = 0; i < emotes.length; i++) names[i] = emotes[i]!.name;
  return names;
}

/** A copy of `list` with room for exactly `length` (growing by `push` would take more). */
function grownList<T>(list: T[], length: number): (T | null)[] {
  const bigger = new Array<T | null>(length).fill(null);
  for (let row = 0; row < list.length; row++) bigger[row] = list[row] ?? null;
  return bigger;
}

function grown<T extends Uint8Array | Uint16Array | Int32Array>(column: T, length: number): T {
  const bigger = new (column.constructor as new (length: number) => T)(length);
  bigger.set(column);
  return bigger;
}

/**
 * Orders messages sent in the same millisecond: a hash of the message id's last characters
 * (Twitch's ids are UUIDs, random at the end). Any deterministic order of ties will do, and
 * hashing whole ids was a tenth of the cost of taking a message in.
 */
function tieKey(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = Math.max(0, id.length - TIE_KEY_CHARS); i < id.length; i++) {
    hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  }
  return hash >>> 2;
}

const TIE_KEY_CHARS = 12;
