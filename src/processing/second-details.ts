// What one second of a channel's chat said, read from its rows in the pending table when a
// moment claims the second: the explanation names top emotes and phrases, quotes messages and
// counts the moment's distinct chatters.
import { countEmotes } from './emote-counts.ts';
import { ACCEPTED, type PendingChat } from './pending-chat.ts';

export class SecondDetails {
  /** The chatter of each reaction; a chatter may appear more than once. */
  readonly reactors: readonly number[];
  /** The texts kept (see ClosedSecond.retire), in event-time order. */
  readonly texts: readonly string[];
  /** Emote counts of every message: name, count, name, count… */
  private readonly emotes: readonly (string | number)[];

  private constructor(
    reactors: readonly number[],
    texts: readonly string[],
    emotes: readonly (string | number)[],
  ) {
    this.reactors = reactors;
    this.texts = texts;
    this.emotes = emotes;
  }

  /** Reads the closed second whose messages start at row `head`. */
  static of(pending: PendingChat, head: number): SecondDetails {
    const reactors: number[] = [];
    const texts: string[] = [];
    pending.forEachRow(head, (row) => {
      if (!(pending.flags[row]! & ACCEPTED)) return;
      reactors.push(pending.chatter[row]!);
      const text = pending.text[row];
      if (text !== null && text !== undefined) texts.push(text);
    });
    return new SecondDetails(reactors, texts, countEmotes(pending, head));
  }

  forEachEmote(visit: (name: string, count: number) => void): void {
    for (let i = 0; i < this.emotes.length; i += 2) {
      visit(this.emotes[i] as string, this.emotes[i + 1] as number);
    }
  }
}
