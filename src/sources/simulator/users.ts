// Twitch users of a simulated world, named by index: no string is stored per user, so a world
// of millions of chatters costs a few bytes each. Ids and logins are bijections of the index,
// hence unique without a lookup table, and stable for a seed.
import { finalize32, hashSeed } from './random.ts';

/** Accounts that exist on every Twitch: chat bots (with their display names) and spam bots. */
const CHAT_BOTS = [
  ['nightbot', 'Nightbot'],
  ['streamelements', 'StreamElements'],
  ['moobot', 'Moobot'],
  ['fossabot', 'Fossabot'],
  ['streamlabs', 'Streamlabs'],
] as const;
export const CHAT_BOT_LOGINS: readonly string[] = CHAT_BOTS.map(([login]) => login);
/** Made-up spam bots, named the way real ones are (a product, digits, underscores). */
export const SPAM_BOT_LOGINS = [
  'bigfollows_promo',
  'followbooster_24',
  'viewerboost_tv',
  'primes4you_',
  'cheapviewers_org',
];
const FIXED_LOGINS = [...CHAT_BOT_LOGINS, ...SPAM_BOT_LOGINS];
const FIXED_DISPLAY_NAMES = [
  ...CHAT_BOTS.map(([, displayName]) => displayName),
  ...SPAM_BOT_LOGINS,
];

/** Index of the first spam bot account. */
export const FIRST_SPAM_BOT = CHAT_BOT_LOGINS.length;

/** User ids are a 30-bit bijection of the index, offset so they have 8 to 10 digits like Twitch's. */
const USER_ID_BITS = 30;
const USER_ID_OFFSET = 10_000_000;

/** Index of the first generated (not fixed) user. */
export const FIRST_GENERATED_USER = FIXED_LOGINS.length;

// Two word lists whose concatenations are all distinct (a test checks it), no digits, no '_'.
// prettier-ignore
const LOGIN_HEADS = [
  'shadow', 'pixel', 'crispy', 'lazy', 'turbo', 'silent', 'cosmic', 'salty', 'frosty', 'sneaky',
  'mighty', 'rusty', 'happy', 'grumpy', 'lucky', 'toxic', 'chill', 'spicy', 'sleepy', 'rapid',
  'golden', 'dark', 'neon', 'wild', 'tiny', 'big', 'mad', 'epic', 'retro', 'cyber',
  'iron', 'stone', 'storm', 'fire', 'ice', 'moon', 'sun', 'star', 'night', 'dawn',
  'ghost', 'ninja', 'pirate', 'captain', 'doctor', 'mister', 'lady', 'king', 'queen', 'lord',
  'smol', 'chonky', 'goofy', 'based', 'cozy', 'feral', 'vibe', 'hyper', 'mega', 'ultra',
  'red', 'blue', 'green', 'purple', 'pink', 'gray', 'black', 'white', 'orange', 'teal',
  'alpha', 'omega', 'delta', 'nova', 'echo', 'zen', 'lofi', 'glitch', 'quantum', 'atomic',
  'baked', 'fried', 'toasted', 'frozen', 'broken', 'wired', 'jolly', 'brave', 'clumsy', 'witty',
];
// prettier-ignore
const LOGIN_TAILS = [
  'fox', 'wolf', 'panda', 'tiger', 'otter', 'raven', 'badger', 'falcon', 'gecko', 'koala',
  'noodle', 'waffle', 'taco', 'potato', 'pickle', 'muffin', 'nugget', 'burrito', 'donut', 'bagel',
  'gamer', 'sniper', 'healer', 'tank', 'mage', 'rogue', 'knight', 'ranger', 'druid', 'paladin',
  'pilot', 'chef', 'baker', 'wizard', 'viking', 'samurai', 'cowboy', 'goblin', 'troll', 'dragon',
  'storm', 'blade', 'arrow', 'hammer', 'shield', 'spark', 'flame', 'frost', 'thunder', 'comet',
  'cat', 'dog', 'frog', 'duck', 'goose', 'moose', 'crab', 'shark', 'whale', 'snail',
  'byte', 'pixel', 'glitch', 'lag', 'ping', 'loot', 'combo', 'crit', 'buff', 'nerf',
  'enjoyer', 'andy', 'main', 'lurker', 'fan', 'guy', 'gal', 'dude', 'kid', 'boi',
  'tv', 'plays', 'yt', 'live', 'official', 'irl', 'hd', 'xd', 'ttv', 'gg',
];

/** The words a generated login is made of, for checks that the naming stays unique. */
export const LOGIN_WORDS = { heads: LOGIN_HEADS, tails: LOGIN_TAILS } as const;

/** A prime above the largest digits number (2^30 users / 16,200 word pairs < 66,300). */
const DIGITS_MODULUS = 100_003;
const DIGITS_MULTIPLIER = 7919;

/** How a user appears in chat. */
export interface User {
  readonly id: string;
  readonly login: string;
  readonly displayName: string;
}

interface LoginParts {
  head: string;
  tail: string;
  separated: boolean;
  /** Distinguishes logins sharing the same words; 0 means no digits. */
  number: number;
}

/**
 * Maps user indices to ids, logins and display names. `capacity` bounds the indices in use;
 * the scramble works on the smallest power of two above it, so small worlds get short logins.
 */
export class UserDirectory {
  private readonly bits: number;
  private readonly loginSalt: number;
  private readonly idSalt: number;
  private readonly digitsSalt: number;

  constructor(seed: number, capacity: number) {
    if (capacity > 2 ** USER_ID_BITS) throw new RangeError(`too many users: ${capacity}`);
    this.bits = Math.max(8, Math.ceil(Math.log2(Math.max(2, capacity))));
    this.loginSalt = hashSeed(seed, 'logins');
    this.idSalt = hashSeed(seed, 'user-ids');
    this.digitsSalt = hashSeed(seed, 'login-digits') % DIGITS_MODULUS;
  }

  /** Id, login and display name at once (the names share most of the work). */
  user(index: number): User {
    const id = this.id(index);
    const fixedLogin = FIXED_LOGINS[index];
    if (fixedLogin !== undefined) {
      return { id, login: fixedLogin, displayName: FIXED_DISPLAY_NAMES[index] as string };
    }
    const parts = this.loginParts(index);
    const digits = this.loginDigits(parts.number);
    const separator = parts.separated ? '_' : '';
    const login = parts.head + separator + parts.tail + digits;
    return { id, login, displayName: this.displayStyle(index, parts, login, separator, digits) };
  }

  /** Numeric string like a Twitch user id (8-10 digits), unique per index. */
  id(index: number): string {
    return String(USER_ID_OFFSET + scramble(index ^ this.idSalt, USER_ID_BITS));
  }

  login(index: number): string {
    return this.user(index).login;
  }

  displayName(index: number): string {
    return this.user(index).displayName;
  }

  /** Twitch display names differ from logins only in letter case; people style them. */
  private displayStyle(
    index: number,
    parts: LoginParts,
    login: string,
    separator: string,
    digits: string,
  ): string {
    switch (finalize32(index ^ this.loginSalt) % 8) {
      case 0:
      case 1:
        return capitalize(parts.head) + separator + capitalize(parts.tail) + digits;
      case 2:
        return capitalize(login);
      case 3:
        return login.toUpperCase();
      default:
        return login;
    }
  }

  /**
   * Digits that tell apart logins made of the same words: an affine map modulo a prime is
   * one-to-one, and makes them look like the years and lucky numbers people pick.
   */
  private loginDigits(number: number): string {
    return number === 0
      ? ''
      : String((number * DIGITS_MULTIPLIER + this.digitsSalt) % DIGITS_MODULUS);
  }

  private loginParts(index: number): LoginParts {
    let remaining = scramble(index ^ this.loginSalt, this.bits);
    const head = LOGIN_HEADS[remaining % LOGIN_HEADS.length] as string;
    remaining = Math.floor(remaining / LOGIN_HEADS.length);
    const tail = LOGIN_TAILS[remaining % LOGIN_TAILS.length] as string;
    remaining = Math.floor(remaining / LOGIN_TAILS.length);
    const separated = remaining % 2 === 1;
    return { head, tail, separated, number: Math.floor(remaining / 2) };
  }
}

/** A bijection on [0, 2^bits): masked xor, odd multiplication and xorshift are each one-to-one. */
function scramble(value: number, bits: number): number {
  const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
  const shift = bits >>> 1;
  let x = (value & mask) >>> 0;
  x = (Math.imul(x, 0x2c1b3c6d) & mask) >>> 0;
  x ^= x >>> shift;
  x = (Math.imul(x, 0x297a2d39) & mask) >>> 0;
  x ^= x >>> shift;
  return x >>> 0;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
