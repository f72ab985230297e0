// Chat of one second waiting for the watermark to close it (the watermark trails the newest
// event by the allowed lateness). Every active channel holds a few seconds of it, so each
// message is kept as six fields in one flat array per second, small integers where possible,
// instead of the parsed event: [offset ms, order, chatter, flags, text, emotes] per message.
import type { ChatMessage } from '../events/schema.ts';
import { chatterKey } from './chatter-key.ts';

export type PendingChat = (number | string | readonly string[] | null)[];

const FIELDS = 6;

/** The message is a bot command or from a known bot: never part of a reaction. */
export const NOISE = 1;
/** The chatter's first message in this channel (Twitch's `first-msg` tag). */
export const FIRST_MESSAGE = 2;

export function addPending(pending: PendingChat, message: ChatMessage, noise: boolean): void {
  const { emotes } = message;
  pending.push(
    message.ts % 1000,
    tieKey(message.id),
    chatterKey(message.user_id),
    (noise ? NOISE : 0) | (message.first_msg ? FIRST_MESSAGE : 0),
    message.text,
    // One emote alone is the common case: the name itself, no array.
    emotes.length === 0 ? null : emotes.length === 1 ? emotes[0]!.name : emotes.map((e) => e.name),
  );
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

export const pendingCount = (pending: PendingChat): number => pending.length / FIELDS;

/** Reads one message of a pending second. */
export class PendingReader {
  private readonly pending: PendingChat;
  /** Messages in event-time order (ties by id hash), or null when they arrived in that order. */
  private readonly order: number[] | null;
  private at = 0;

  constructor(pending: PendingChat) {
    this.pending = pending;
    this.order = inOrder(pending) ? null : sortedOrder(pending);
  }

  /** Moves to the `k`-th message in event-time order. */
  seek(k: number): void {
    this.at = (this.order ? this.order[k]! : k) * FIELDS;
  }

  get offsetMs(): number {
    return this.pending[this.at] as number;
  }
  get chatter(): number {
    return this.pending[this.at + 2] as number;
  }
  get flags(): number {
    return this.pending[this.at + 3] as number;
  }
  get text(): string {
    return this.pending[this.at + 4] as string;
  }
  get emotes(): string | readonly string[] | null {
    return this.pending[this.at + 5] as string | readonly string[] | null;
  }
}

function compare(pending: PendingChat, a: number, b: number): number {
  const i = a * FIELDS;
  const j = b * FIELDS;
  return (
    (pending[i] as number) - (pending[j] as number) ||
    (pending[i + 1] as number) - (pending[j + 1] as number)
  );
}

/** Most seconds arrive in order: checking is O(n), sorting is not. */
function inOrder(pending: PendingChat): boolean {
  const count = pendingCount(pending);
  for (let k = 1; k < count; k++) if (compare(pending, k - 1, k) > 0) return false;
  return true;
}

function sortedOrder(pending: PendingChat): number[] {
  const order = Array.from({ length: pendingCount(pending) }, (_, k) => k);
  return order.sort((a, b) => compare(pending, a, b));
}
