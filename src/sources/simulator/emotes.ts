// The emotes simulated chat uses: Twitch globals, the third-party globals (7TV / BTTV / FFZ)
// that dominate modern chat, and per-channel subscriber emotes.
import type { Random } from './random.ts';
import { hashSeed } from './random.ts';

export interface EmoteDef {
  /** Twitch's numeric id for Twitch emotes; `provider:name` for third-party emotes. */
  id: string;
  name: string;
}

/** Twitch global emotes with their Twitch ids. */
const TWITCH = {
  Kappa: '25',
  PogChamp: '305954156',
  LUL: '425618',
  BibleThump: '86',
  Kreygasm: '41',
  ResidentSleeper: '245',
  NotLikeThis: '58765',
  DansGame: '33',
  SeemsGood: '64138',
  HeyGuys: '30259',
  WutFace: '28087',
  FailFish: '360',
  TwitchUnity: '196892',
  '4Head': '354',
  VoHiYo: '81274',
} as const;

/**
 * Third-party globals. Twitch's `emotes` tag never lists them; the canonical event does,
 * because a viewer sees them as emotes and every chat client renders them.
 */
const THIRD_PARTY = {
  KEKW: '7tv',
  OMEGALUL: '7tv',
  monkaS: 'bttv',
  monkaW: 'ffz',
  Pog: 'ffz',
  PogU: 'ffz',
  catJAM: '7tv',
  Sadge: '7tv',
  EZ: '7tv',
  Clap: '7tv',
  peepoHappy: 'ffz',
  FeelsStrongMan: 'ffz',
  Aware: '7tv',
  Copium: '7tv',
  ICANT: '7tv',
  o7: '7tv',
} as const;

type GlobalEmoteName = keyof typeof TWITCH | keyof typeof THIRD_PARTY;

export function globalEmote(name: GlobalEmoteName): EmoteDef {
  return name in TWITCH
    ? { id: TWITCH[name as keyof typeof TWITCH], name }
    : { id: `${THIRD_PARTY[name as keyof typeof THIRD_PARTY]}:${name}`, name };
}

function emotes(...names: GlobalEmoteName[]): EmoteDef[] {
  return names.map(globalEmote);
}

/** What everyday chat sprinkles in, most used first (the order feeds a Zipf-like pick). */
// prettier-ignore
export const EVERYDAY_EMOTES = emotes(
  'KEKW', 'LUL', 'Kappa', 'Pog', 'OMEGALUL', 'Sadge', 'monkaS', 'catJAM', 'PogU', 'EZ',
  'Clap', 'Copium', 'Aware', 'ICANT', 'peepoHappy', '4Head', 'SeemsGood', 'PogChamp',
  'NotLikeThis', 'BibleThump', 'Kreygasm', 'DansGame', 'WutFace', 'ResidentSleeper', 'FailFish',
);

/** The emote people greet a stream with. */
export const GREETING_EMOTES = emotes('HeyGuys', 'VoHiYo', 'peepoHappy');
/** Raiders' banner emote. */
export const RAID_EMOTES = emotes('TwitchUnity', 'PogChamp', 'Kreygasm');
/** What a gift bomb gets. */
export const GIFT_EMOTES = emotes('PogChamp', 'peepoHappy', 'Pog', 'Clap');
/** Salute when a stream ends or for a fallen teammate. */
export const FAREWELL_EMOTES = emotes('o7', 'peepoHappy', 'Sadge');

/** What chat reacts to on stream; each mood has its own emotes and words. */
export type Mood = 'hype' | 'funny' | 'fail' | 'scary' | 'sad' | 'vibe';

export const MOOD_EMOTES: Record<Mood, readonly EmoteDef[]> = {
  hype: emotes('Pog', 'PogU', 'PogChamp', 'Kreygasm', 'Clap', 'FeelsStrongMan'),
  funny: emotes('KEKW', 'OMEGALUL', 'LUL', 'ICANT', '4Head'),
  fail: emotes('NotLikeThis', 'FailFish', 'KEKW', 'Sadge'),
  scary: emotes('monkaS', 'monkaW', 'WutFace'),
  sad: emotes('Sadge', 'BibleThump', 'o7'),
  vibe: emotes('catJAM', 'peepoHappy', 'Kreygasm'),
};

/** Suffixes streamers give their subscriber emotes. */
// prettier-ignore
const CHANNEL_EMOTE_SUFFIXES = [
  'Hype', 'L', 'LUL', 'Pog', 'Love', 'Sad', 'W', 'GG', 'Rage', 'Wave', 'Heart', 'Cozy', 'Cry',
  'Clap', 'Think',
];

/** A channel's subscriber emotes: one prefix ("xqc") and several suffixes ("xqcL", "xqcHype"). */
export interface ChannelEmoteSet {
  prefix: string;
  emotes: EmoteDef[];
}

/** Draws a channel's emote set, with Twitch-v2-shaped ids (`emotesv2_` + 32 hex). */
export function channelEmotes(random: Random, login: string): ChannelEmoteSet {
  const letters = login.replace(/[^a-z]/g, '');
  const prefix = letters.slice(0, random.int(3, 6));
  const count = random.int(4, 9);
  const suffixes = random.shuffle([...CHANNEL_EMOTE_SUFFIXES]).slice(0, count);
  return {
    prefix,
    emotes: suffixes.map((suffix) => ({
      id: channelEmoteId(login, suffix),
      name: prefix + suffix,
    })),
  };
}

function channelEmoteId(login: string, suffix: string): string {
  let hex = '';
  for (let part = 0; part < 4; part++) {
    hex += hashSeed(login, suffix, part).toString(16).padStart(8, '0');
  }
  return `emotesv2_${hex}`;
}
