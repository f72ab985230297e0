// Builds a chat line word by word and records where each emote lands, the way Twitch's
// `emotes` tag does: start and end are inclusive indices into the final text.
import type { Emote } from '../../events/schema.ts';
import type { EmoteDef } from './emotes.ts';

export class MessageText {
  text = '';
  readonly emotes: Emote[] = [];

  /** Appends words (any text that contains no emote code). */
  words(words: string): this {
    if (this.text.length > 0) this.text += ' ';
    this.text += words;
    return this;
  }

  emote(emote: EmoteDef): this {
    if (this.text.length > 0) this.text += ' ';
    const start = this.text.length;
    this.text += emote.name;
    this.emotes.push({ id: emote.id, name: emote.name, start, end: start + emote.name.length - 1 });
    return this;
  }

  /** "KEKW KEKW KEKW": the same emote several times, as chat spams it. */
  repeat(emote: EmoteDef, times: number): this {
    for (let i = 0; i < times; i++) this.emote(emote);
    return this;
  }

  get isEmpty(): boolean {
    return this.text.length === 0;
  }
}
