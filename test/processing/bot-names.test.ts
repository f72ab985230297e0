import { describe, expect, it } from 'vitest';
import { BotNames } from '../../src/processing/bot-names.ts';
import { KNOWN_BOTS } from '../../src/processing/chat-filter.ts';

describe('BotNames', () => {
  it('answers like the set of names, for names that share a first letter and length or not', () => {
    const names = new Set([...KNOWN_BOTS, 'élan_bot', 'x'.repeat(40), 'ab']);
    const bots = BotNames.of(names);
    const asked = [
      ...names,
      'nightbox', // first letter and length of nightbot
      'nightbot_',
      'Nightbot',
      'élan_bou',
      'x'.repeat(40) + 'y',
      'x'.repeat(40).slice(1),
      'ac',
      '',
      'some_viewer',
      '😀nightbot',
    ];
    for (const name of asked) expect(bots.has(name), name).toBe(names.has(name));
  });

  it('is built once per set of names', () => {
    expect(BotNames.of(KNOWN_BOTS)).toBe(BotNames.of(KNOWN_BOTS));
    expect(BotNames.of(new Set(['a']))).not.toBe(BotNames.of(new Set(['a'])));
  });
});
