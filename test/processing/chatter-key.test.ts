import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/processing/chat-filter.ts';
import { chatterKey, textFingerprint } from '../../src/processing/chatter-key.ts';

describe('chatterKey', () => {
  it('is a stable small integer (unboxed in V8)', () => {
    expect(chatterKey('12345678')).toBe(chatterKey('12345678'));
    expect(chatterKey('12345678')).not.toBe(chatterKey('12345679'));
    for (const id of ['1', '987654321', 'u-viewer42', '']) {
      const key = chatterKey(id);
      expect(Number.isInteger(key) && key >= 0 && key < 2 ** 30).toBe(true);
    }
  });

  it('rarely merges two chatters', () => {
    const keys = new Set<number>();
    for (let id = 0; id < 20_000; id++) keys.add(chatterKey(String(400_000_000 + id * 7919)));
    expect(keys.size).toBeGreaterThanOrEqual(19_990);
  });
});

describe('textFingerprint', () => {
  it.each([
    ['BUY FOLLOWERS now', 'buy followers now'],
    ['  buy   followers now ', 'buy followers now'],
    ['buy followers now \u{E0000}', 'buy followers now'],
    ['buy\u200Bfollowers now', 'buyfollowers now'],
    ['KEKW\tKEKW', 'kekw kekw'],
  ])('treats %j like %j', (a, b) => {
    expect(textFingerprint(a)).toBe(textFingerprint(b));
  });

  it('tells different texts apart', () => {
    expect(textFingerprint('buy followers now')).not.toBe(textFingerprint('buy followers later'));
    expect(textFingerprint('ab c')).not.toBe(textFingerprint('a bc'));
  });

  it('agrees with the normalised text used for phrases', () => {
    for (const text of ['Hello  World', ' LUL ', 'no\u200Bway', 'Pog \u{E0000}']) {
      expect(textFingerprint(text)).toBe(textFingerprint(normalise(text)));
    }
  });
});

describe('textFingerprint against the plain definition', () => {
  /** The fingerprint's definition, slowly: hash of the normalised text. */
  const reference = (text: string): number => {
    const normal = text
      .replace(/[\u{E0000}\u200B-\u200D\u2060\uFEFF]/gu, '')
      .replace(/[\u0000-\u0020\u3000]+/g, ' ')
      .trim()
      .replace(/[A-Z]/g, (c) => c.toLowerCase());
    let hash = 0x811c9dc5;
    for (let i = 0; i < normal.length; i++)
      hash = Math.imul(hash ^ normal.charCodeAt(i), 0x01000193);
    return (hash >>> 0) & 0x3fffffff;
  };

  it('agrees on random chat-like texts', () => {
    const alphabet = [
      'a',
      'Z',
      'k',
      ' ',
      '  ',
      '\t',
      '\u200B',
      '\u{E0000}',
      '\u3000',
      'é',
      '😂',
      '!',
      '7',
    ];
    let seed = 9;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let n = 0; n < 5_000; n++) {
      const length = Math.floor(random() * 12);
      const text = Array.from(
        { length },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      expect(textFingerprint(text)).toBe(reference(text));
    }
  });
});

describe('normalise', () => {
  /** Its definition: four passes of regular expressions. */
  const reference = (text: string): string =>
    text
      .replace(/[\u{E0000}\u200B-\u200D\u2060\uFEFF]/gu, '')
      .trim()
      .replace(/\s+/g, ' ')
      .toLowerCase();

  it('matches its definition on random chat, plain ASCII or not', () => {
    const pieces = [
      'a',
      'Z',
      'lul',
      'KEKW',
      ' ',
      '  ',
      '\t',
      '!',
      '~',
      '\u007f',
      'É',
      'ß',
      '\u3000',
    ];
    pieces.push('\u200B', '\u{E0000}', '😂', '\u00a0', 'İ');
    let seed = 17;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let step = 0; step < 20_000; step++) {
      let text = '';
      const length = Math.floor(random() * 8);
      // Mostly plain ASCII pieces, as chat is; now and then anything.
      const choices = random() < 0.7 ? 6 : pieces.length;
      for (let k = 0; k < length; k++) text += pieces[Math.floor(random() * choices)];
      expect(normalise(text)).toBe(reference(text));
    }
  });
});
