// What one closed second of one channel's chat contributed.
import type { ChatMessage } from '../events/schema.ts';
import type { ChatFilter } from './chat-filter.ts';

/** Enough texts per second to explain a moment; beyond this a busy second only counts. */
const MAX_TEXTS_PER_SECOND = 48;

export class SecondBucket {
  readonly second: number;
  /** Every chat message, for live metrics. */
  messages = 0;
  readonly chatters = new Set<string>();
  /** Messages that passed the chat filter: the audience reacting. */
  reactions = 0;
  readonly reactingChatters = new Set<string>();
  readonly emotes = new Map<string, number>();
  readonly texts: string[] = [];

  constructor(second: number) {
    this.second = second;
  }

  /**
   * Aggregates a second's messages in event-time order (ties by message id), so the result
   * does not depend on the order in which they arrived.
   */
  static close(second: number, messages: ChatMessage[], filter: ChatFilter): SecondBucket {
    const bucket = new SecondBucket(second);
    if (!inOrder(messages)) messages.sort(byTimeThenId);
    for (const message of messages) bucket.add(message, filter.accepts(message));
    return bucket;
  }

  private add(message: ChatMessage, reacting: boolean): void {
    this.messages += 1;
    this.chatters.add(message.user_id);
    for (const emote of message.emotes) {
      this.emotes.set(emote.name, (this.emotes.get(emote.name) ?? 0) + 1);
    }
    if (!reacting) return;
    this.reactions += 1;
    this.reactingChatters.add(message.user_id);
    if (this.texts.length < MAX_TEXTS_PER_SECOND) this.texts.push(message.text);
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
