// What one closed second of one channel's chat contributed. Kept for the last few seconds of
// every active channel, so it is compact: arrays, not sets, and nothing for what a second lacks.
import type { ChatMessage } from '../events/schema.ts';
import type { ChatFilter } from './chat-filter.ts';
import { chatterKey } from './chatter-key.ts';

/** Enough texts per second to explain a moment; beyond this a busy second only counts. */
const MAX_TEXTS_PER_SECOND = 48;
const NONE: readonly string[] = Object.freeze([]);
const NO_CHATTERS: readonly number[] = Object.freeze([]);
const NO_EMOTES: readonly (string | number)[] = Object.freeze([]);

export class SecondBucket {
  readonly second: number;
  /** Every chat message, for live metrics. */
  messages = 0;
  /** Distinct chatters (keys) of every message; empty when live metrics are off (unread). */
  chatters: readonly number[] = NO_CHATTERS;
  /** Messages that passed the chat filter: the audience reacting. */
  reactions = 0;
  /** Distinct chatters (keys) of those messages. */
  reactingChatters: readonly number[] = NO_CHATTERS;
  /** Emote counts, flat: name, count, name, count… (a Map per second costs more than the counts). */
  emotes: readonly (string | number)[] = NO_EMOTES;
  texts: readonly string[] = NONE;

  constructor(second: number) {
    this.second = second;
  }

  /**
   * Aggregates a second's messages in event-time order (ties by message id), so the result
   * does not depend on the order in which they arrived.
   */
  static close(
    second: number,
    messages: ChatMessage[],
    filter: ChatFilter,
    { withChatters }: { withChatters: boolean },
  ): SecondBucket {
    const bucket = new SecondBucket(second);
    if (messages.length === 0) return bucket;
    if (!inOrder(messages)) messages.sort(byTimeThenId);
    const chatters = withChatters ? new Set<number>() : null;
    const reacting = new Set<number>();
    const texts: string[] = [];
    let emotes: Map<string, number> | null = null;
    for (const message of messages) {
      const chatter = chatterKey(message.user_id);
      chatters?.add(chatter);
      for (const emote of message.emotes) {
        emotes ??= new Map();
        emotes.set(emote.name, (emotes.get(emote.name) ?? 0) + 1);
      }
      if (!filter.accepts(message)) continue;
      bucket.reactions += 1;
      reacting.add(chatter);
      if (texts.length < MAX_TEXTS_PER_SECOND) texts.push(message.text);
    }
    bucket.messages = messages.length;
    if (chatters) bucket.chatters = [...chatters];
    if (reacting.size > 0) bucket.reactingChatters = [...reacting];
    // Exact-size copies: arrays grown by push keep room for more, in every bucket of every channel.
    if (texts.length > 0) bucket.texts = texts.slice();
    if (emotes) bucket.emotes = [...emotes].flat();
    return bucket;
  }
}

function byTimeThenId(a: ChatMessage, b: ChatMessage): number {
  return a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Most seconds arrive in order: checking is O(n), sorting is not. */
function inOrder(messages: ChatMessage[]): boolean {
  for (let i = 1; i < messages.length; i++) {
    if (byTimeThenId(messages[i - 1]!, messages[i]!) > 0) return false;
  }
  return true;
}

/** Calls `visit` for each emote and its count of a bucket's flat `emotes`. */
export function forEachEmote(
  emotes: SecondBucket['emotes'],
  visit: (name: string, count: number) => void,
): void {
  for (let i = 0; i < emotes.length; i += 2) visit(emotes[i] as string, emotes[i + 1] as number);
}
