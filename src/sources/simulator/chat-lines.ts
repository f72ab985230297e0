// Composes what one chatter types: words in the channel's language, the game's jargon, emotes
// (subscribers also use the channel's own), and the shouts of a highlight.
import {
  EVERYDAY_EMOTES,
  FAREWELL_EMOTES,
  GIFT_EMOTES,
  GREETING_EMOTES,
  RAID_EMOTES,
  type EmoteDef,
} from './emotes.ts';
import type { ActiveHighlight } from './highlights.ts';
import { MessageText } from './message-text.ts';
import {
  CHAT_LINES,
  FAREWELLS,
  GENRE_LINES,
  GIFT_THANKS,
  GREETINGS,
  LOCAL_REACTIONS,
  QUESTIONS,
  RAID_LINES,
  REACTIONS,
} from './phrases.ts';
import { WeightedChoice, type Random } from './random.ts';
import type { Genre } from './stream-catalog.ts';

/** Who is typing, where. */
export interface Speaker {
  language: string;
  genre: Genre;
  /** The channel's subscriber emotes; only subscribers can use them. */
  channelEmotes: readonly EmoteDef[];
  subscriber: boolean;
}

/** Share of lines in the broadcast language in non-English channels (the rest is English). */
const LOCAL_LANGUAGE_SHARE = 0.6;
/** Share of a subscriber's emotes that are the channel's own. */
const CHANNEL_EMOTE_SHARE = 0.3;
/** Larger = the few most popular emotes dominate more. */
const EMOTE_POPULARITY_SKEW = 2.2;
/** Emoji are UTF-16 surrogate pairs: they shift every later emote index by two. */
const EMOJI = ['😂', '🔥', '💀', '😭', '❤️', '👀', '🤣', '😳'];

type EverydayKind = 'line' | 'lineEmote' | 'emotes' | 'emotePair' | 'genre' | 'emoji' | 'question';

const everydayChoice = new WeightedChoice<EverydayKind>([
  ['line', 0.34],
  ['lineEmote', 0.2],
  ['emotes', 0.15],
  ['emotePair', 0.04],
  ['genre', 0.17],
  ['emoji', 0.04],
  ['question', 0.06],
]);

/** A normal chat line, appended to `text` (which may already hold an @mention). */
export function everydayLine(
  random: Random,
  speaker: Speaker,
  text = new MessageText(),
): MessageText {
  switch (everydayChoice.pick(random)) {
    case 'line':
      return text.words(localLine(random, speaker.language, CHAT_LINES));
    case 'lineEmote':
      return text
        .words(localLine(random, speaker.language, CHAT_LINES))
        .emote(everydayEmote(random, speaker));
    case 'emotes':
      return text.repeat(everydayEmote(random, speaker), random.int(1, 4));
    case 'emotePair':
      return text.emote(everydayEmote(random, speaker)).emote(everydayEmote(random, speaker));
    case 'genre':
      text.words(random.pick(GENRE_LINES[speaker.genre]));
      return random.chance(0.3) ? text.emote(everydayEmote(random, speaker)) : text;
    case 'emoji':
      return text.words(random.pick(EMOJI)).emote(everydayEmote(random, speaker));
    case 'question':
      return text.words(random.pick(QUESTIONS));
  }
}

/** Early in a stream: people say hello. */
export function greetingLine(random: Random, speaker: Speaker): MessageText {
  const text = new MessageText().words(localLine(random, speaker.language, GREETINGS));
  return random.chance(0.5) ? text.emote(random.pick(GREETING_EMOTES)) : text;
}

/** Late in a stream: good nights and salutes. */
export function farewellLine(random: Random, speaker: Speaker): MessageText {
  const text = new MessageText().words(localLine(random, speaker.language, FAREWELLS));
  return random.chance(0.5) ? text.emote(random.pick(FAREWELL_EMOTES)) : text;
}

type ReactionKind = 'spam' | 'shout' | 'shoutSpam' | 'local';

const reactionChoice = new WeightedChoice<ReactionKind>([
  ['spam', 0.5],
  ['shout', 0.2],
  ['shoutSpam', 0.22],
  ['local', 0.08],
]);

/** A reaction to a highlight: mostly the moment's emote spammed, or a short shout. */
export function reactionLine(
  random: Random,
  speaker: Speaker,
  highlight: ActiveHighlight,
): MessageText {
  const text = new MessageText();
  const emote = highlightEmote(random, speaker, highlight.emotes);
  const shout = (): string => random.pick(REACTIONS[highlight.mood]);
  switch (reactionChoice.pick(random)) {
    case 'spam':
      return text.repeat(emote, random.int(1, 6));
    case 'shout':
      return text.words(shout());
    case 'shoutSpam':
      return text.words(shout()).repeat(emote, random.int(1, 4));
    case 'local': {
      const local = LOCAL_REACTIONS[speaker.language];
      return local === undefined
        ? text.repeat(emote, random.int(2, 5))
        : text.words(random.pick(local)).emote(emote);
    }
  }
}

/** What an arriving raider says. */
export function raidLine(random: Random, raider: string): MessageText {
  const text = new MessageText();
  if (random.chance(0.3)) return text.repeat(random.pick(RAID_EMOTES), random.int(1, 4));
  return text
    .words(random.pick(RAID_LINES).replaceAll('{raider}', raider))
    .emote(random.pick(RAID_EMOTES));
}

/** After a gift bomb: thanks from recipients, hype from everyone else. */
export function giftLine(random: Random, recipient: boolean): MessageText {
  const text = new MessageText();
  if (recipient) return text.words(random.pick(GIFT_THANKS));
  return text.repeat(random.pick(GIFT_EMOTES), random.int(1, 3));
}

function localLine(
  random: Random,
  language: string,
  lines: Readonly<Record<string, readonly string[]>>,
): string {
  const local = lines[language];
  if (local !== undefined && language !== 'en' && random.chance(LOCAL_LANGUAGE_SHARE)) {
    return random.pick(local);
  }
  return random.pick(lines.en as readonly string[]);
}

/** Popular emotes far more often than rare ones (a power law over the popularity order). */
function everydayEmote(random: Random, speaker: Speaker): EmoteDef {
  if (
    speaker.subscriber &&
    speaker.channelEmotes.length > 0 &&
    random.chance(CHANNEL_EMOTE_SHARE)
  ) {
    return random.pick(speaker.channelEmotes);
  }
  const rank = Math.floor(EVERYDAY_EMOTES.length * Math.pow(random.next(), EMOTE_POPULARITY_SKEW));
  return EVERYDAY_EMOTES[rank] as EmoteDef;
}

/**
 * The moment's emotes, the first most of all. Channel emotes are last in the list and usable
 * only by subscribers; everyone else falls back to the main emote.
 */
function highlightEmote(random: Random, speaker: Speaker, emotes: readonly EmoteDef[]): EmoteDef {
  const main = emotes[0] as EmoteDef;
  const other = emotes[1 + Math.floor(random.next() * (emotes.length - 1))];
  if (other === undefined || random.chance(0.55)) return main;
  return speaker.channelEmotes.includes(other) && !speaker.subscriber ? main : other;
}
