import { describe, expect, it } from 'vitest';
import {
  CHAT_BOT_LOGINS,
  FIRST_GENERATED_USER,
  LOGIN_WORDS,
  SPAM_BOT_LOGINS,
  UserDirectory,
} from '../../../src/sources/simulator/users.ts';

describe('UserDirectory', () => {
  it('builds every two-word login only one way', () => {
    const joined = new Set<string>();
    for (const head of LOGIN_WORDS.heads)
      for (const tail of LOGIN_WORDS.tails) joined.add(head + tail);
    expect(joined.size).toBe(LOGIN_WORDS.heads.length * LOGIN_WORDS.tails.length);
    for (const word of [...LOGIN_WORDS.heads, ...LOGIN_WORDS.tails])
      expect(word).toMatch(/^[a-z]+$/);
  });

  it('gives every user a unique valid login, display name and numeric id', () => {
    for (const [capacity, stride] of [
      [300_000, 1],
      [2 ** 30, 5_363], // sparse sample of the largest world: long digit suffixes
    ] as const) {
      const directory = new UserDirectory(9, capacity);
      const logins = new Set<string>();
      const ids = new Set<string>();
      const invalid: string[] = [];
      let count = 0;
      for (let index = 0; index < capacity && count < 200_000; index += stride, count++) {
        const user = directory.user(index);
        const valid =
          /^[a-z0-9_]{4,25}$/.test(user.login) &&
          user.displayName.toLowerCase() === user.login &&
          /^[1-9][0-9]{7,9}$/.test(user.id);
        if (!valid) invalid.push(JSON.stringify(user));
        logins.add(user.login);
        ids.add(user.id);
      }
      expect(invalid.slice(0, 5)).toEqual([]);
      expect(logins.size).toBe(count);
      expect(ids.size).toBe(count);
    }
  });

  it('keeps the well-known bots under their real names', () => {
    const directory = new UserDirectory(1, 1000);
    expect(CHAT_BOT_LOGINS.map((_, index) => directory.login(index))).toEqual(CHAT_BOT_LOGINS);
    expect(directory.displayName(0)).toBe('Nightbot');
    expect(directory.login(CHAT_BOT_LOGINS.length)).toBe(SPAM_BOT_LOGINS[0]);
    expect(FIRST_GENERATED_USER).toBe(CHAT_BOT_LOGINS.length + SPAM_BOT_LOGINS.length);
  });

  it('names users the same way for a seed, differently across seeds', () => {
    const a = new UserDirectory(1, 5000);
    const b = new UserDirectory(1, 5000);
    const c = new UserDirectory(2, 5000);
    const names = (directory: UserDirectory): string[] =>
      Array.from({ length: 50 }, (_, i) => directory.login(FIRST_GENERATED_USER + i));
    expect(names(a)).toEqual(names(b));
    expect(names(a)).not.toEqual(names(c));
  });
});
