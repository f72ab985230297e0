// What one closed second of one channel's chat contributed. Kept for the last few seconds of
// every active channel, so it is compact: what a second said lives in one exact-size array,
// and a quiet second shares an empty one.
import type { ChatFilter } from './chat-filter.ts';
import { pendingCount, PendingReader, type PendingChat } from './pending-chat.ts';

/** Enough texts per second to explain a moment; beyond this a busy second only counts. */
const MAX_TEXTS_PER_SECOND = 48;
const NOTHING: readonly never[] = Object.freeze([]);

export class SecondBucket {
  readonly second: number;
  /** Every chat message, for live metrics. */
  messages = 0;
  /** Distinct chatters (keys) of every message; empty when live metrics are off (unread). */
  chatters: readonly number[] = NOTHING;
  /** Messages that passed the chat filter: the audience reacting. */
  reactions = 0;
  /** How many distinct chatters those messages came from. */
  reacting = 0;
  /** How many of those messages carry an emote. */
  emoting = 0;
  /** How many of the reactions' texts are kept. */
  texts = 0;
  /**
   * The reacting chatters (`reacting` keys), then the kept texts (`texts` strings), then emote
   * counts of every message (name, count, name, count…).
   */
  items: readonly (number | string)[] = NOTHING;

  constructor(second: number) {
    this.second = second;
  }

  /**
   * Aggregates a second's messages in event-time order (ties by message id), so the result
   * does not depend on the order in which they arrived.
   */
  static close(
    second: number,
    pending: PendingChat,
    filter: ChatFilter,
    options: {
      withChatters: boolean;
      /** Whether the second's texts are worth keeping, given its counts (see SpikeDetector.isNotable). */
      keepTexts: (bucket: SecondBucket) => boolean;
    },
  ): SecondBucket {
    const bucket = new SecondBucket(second);
    const count = pendingCount(pending);
    if (count === 0) return bucket;
    const message = new PendingReader(pending);
    const chatters = options.withChatters ? clear(scratch.chatters) : null;
    const reacting = clear(scratch.reacting);
    const texts = scratch.texts;
    texts.length = 0;
    const emotes = clear(scratch.emotes);
    const secondStart = second * 1000;
    for (let k = 0; k < count; k++) {
      message.seek(k);
      const chatter = message.chatter;
      chatters?.add(chatter);
      const names = message.emotes;
      if (names !== null) {
        if (typeof names === 'string') countEmote(emotes, names);
        else for (const name of names) countEmote(emotes, name);
      }
      const { flags, text } = message;
      if (!filter.accepts(chatter, text, flags, secondStart + message.offsetMs)) continue;
      bucket.reactions += 1;
      if (names !== null) bucket.emoting += 1;
      reacting.add(chatter);
      if (texts.length < MAX_TEXTS_PER_SECOND) texts.push(text);
    }
    bucket.messages = count;
    if (chatters) bucket.chatters = [...chatters];
    bucket.reacting = reacting.size;
    // Texts only explain moments: an ordinary second keeps its counts and lets its texts go.
    if (!options.keepTexts(bucket)) texts.length = 0;
    bucket.texts = texts.length;
    const size = reacting.size + texts.length + emotes.size * 2;
    if (size > 0) bucket.items = itemsOf(size, reacting, texts, emotes);
    return bucket;
  }

  /** Key of the `i`-th reacting chatter (i < reacting). */
  reactingChatter(i: number): number {
    return this.items[i] as number;
  }

  forEachText(visit: (text: string) => void): void {
    const end = this.reacting + this.texts;
    for (let i = this.reacting; i < end; i++) visit(this.items[i] as string);
  }

  forEachEmote(visit: (name: string, count: number) => void): void {
    const { items } = this;
    for (let i = this.reacting + this.texts; i < items.length; i += 2) {
      visit(items[i] as string, items[i + 1] as number);
    }
  }
}

/**
 * Working sets of `close`, reused: it runs once per channel and second and never re-enters, and
 * fresh ones each time were a good part of the garbage collector's work.
 */
const scratch = {
  chatters: new Set<number>(),
  reacting: new Set<number>(),
  texts: [] as string[],
  emotes: new Map<string, number>(),
};

function clear<T extends { clear(): void }>(collection: T): T {
  collection.clear();
  return collection;
}

function countEmote(counts: Map<string, number>, name: string): void {
  counts.set(name, (counts.get(name) ?? 0) + 1);
}

/** One array of exactly the needed size: arrays grown by push keep room for more. */
function itemsOf(
  size: number,
  reacting: Set<number>,
  texts: string[],
  emotes: Map<string, number>,
): (number | string)[] {
  const items = new Array<number | string>(size);
  let i = 0;
  for (const chatter of reacting) items[i++] = chatter;
  for (const text of texts) items[i++] = text;
  for (const [name, count] of emotes) {
    items[i++] = name;
    items[i++] = count;
  }
  return items;
}
