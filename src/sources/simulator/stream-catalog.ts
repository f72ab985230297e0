// What simulated streams are about: games with their share of live channels, languages, titles.
import { WeightedChoice, type Random } from './random.ts';

/** Kinds of game whose chat talks alike. */
export type Genre = 'shooter' | 'moba' | 'rpg' | 'talk' | 'casino' | 'sandbox' | 'creative';

export interface Game {
  name: string;
  genre: Genre;
}

/** Games with a rough share of Twitch's top live channels. */
const GAMES: readonly (readonly [Game, number])[] = [
  [{ name: 'Just Chatting', genre: 'talk' }, 22],
  [{ name: 'Grand Theft Auto V', genre: 'sandbox' }, 9],
  [{ name: 'League of Legends', genre: 'moba' }, 8],
  [{ name: 'VALORANT', genre: 'shooter' }, 7],
  [{ name: 'Counter-Strike', genre: 'shooter' }, 7],
  [{ name: 'Fortnite', genre: 'shooter' }, 5],
  [{ name: 'Minecraft', genre: 'sandbox' }, 5],
  [{ name: 'Dota 2', genre: 'moba' }, 4],
  [{ name: 'Elden Ring', genre: 'rpg' }, 3],
  [{ name: 'World of Warcraft', genre: 'rpg' }, 3],
  [{ name: 'Apex Legends', genre: 'shooter' }, 3],
  [{ name: 'Call of Duty: Warzone', genre: 'shooter' }, 3],
  [{ name: 'Slots', genre: 'casino' }, 3],
  [{ name: 'Overwatch 2', genre: 'shooter' }, 2],
  [{ name: 'Hearthstone', genre: 'moba' }, 2],
  [{ name: 'Chess', genre: 'talk' }, 1],
  [{ name: 'Music', genre: 'creative' }, 2],
  [{ name: 'Art', genre: 'creative' }, 1],
];

/** Broadcast languages (ISO 639-1, as Helix reports them) with their rough share. */
const LANGUAGES: readonly (readonly [string, number])[] = [
  ['en', 55],
  ['es', 11],
  ['pt', 7],
  ['de', 6],
  ['fr', 6],
  ['ru', 5],
  ['ko', 4],
  ['ja', 6],
];

const gameChoice = new WeightedChoice(GAMES);
const languageChoice = new WeightedChoice(LANGUAGES);

export function pickGame(random: Random): Game {
  return gameChoice.pick(random);
}

export function pickLanguage(random: Random): string {
  return languageChoice.pick(random);
}

export function gameNamed(name: string): Game {
  return GAMES.find(([game]) => game.name === name)?.[0] ?? { name, genre: 'talk' };
}

const TITLE_HOOKS: Record<Genre, readonly string[]> = {
  shooter: [
    'RANKED GRIND',
    'road to top 500',
    'scrims then ranked',
    'new season',
    'aim training then pubs',
  ],
  moba: [
    'climbing to challenger',
    'new patch day',
    'soloQ only',
    'coaching viewers',
    'road to rank 1',
  ],
  rpg: ['first playthrough', 'no hit run attempts', 'raid night', 'blind run', 'boss rush'],
  talk: [
    'chatting and react',
    'Q&A with chat',
    'morning coffee stream',
    'reacting to your clips',
    'news and drama',
  ],
  casino: ['bonus hunt', 'big wins only', 'opening 100 bonuses', 'high roller session'],
  sandbox: ['new server', 'RP with the boys', 'hardcore day 40', 'building the megabase'],
  creative: ['chill beats', 'live painting', 'making a song with chat', 'requests open'],
};

const TITLE_DECORATIONS = ['', '', '🔴 ', '[DROPS ON] ', '🔴 LIVE: '];
const TITLE_TAILS = [
  '',
  ' | !discord',
  ' | !socials',
  ' !sub',
  ' | day {day}',
  ' 🎉',
  ' | !youtube',
];

/** A stream title in the style of the genre: hook, decorations and a command plug. */
export function streamTitle(random: Random, game: Game): string {
  const hook = random.pick(TITLE_HOOKS[game.genre]);
  const decoration = random.pick(TITLE_DECORATIONS);
  const tail = random.pick(TITLE_TAILS).replace('{day}', String(random.int(2, 400)));
  return `${decoration}${hook}${tail}`;
}
