import { describe, expect, it } from 'vitest';
import { GenerationSet } from '../../src/processing/generation-set.ts';

describe('GenerationSet', () => {
  it('remembers keys of the last two generations like a reference map', () => {
    const set = new GenerationSet();
    const reference = new Map<number, number>();
    let seed = 5;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    let generation = 0;
    for (let step = 0; step < 100_000; step++) {
      if (random() < 0.002) {
        // The next generation, now and then one skipped, as ChatFilter moves them.
        const next = generation + (random() < 0.2 ? 2 : 1);
        if (next === generation + 1) set.nextGeneration();
        else set.clear();
        generation = next;
        for (const [key, added] of reference) if (added < generation - 1) reference.delete(key);
      }
      const key = (Math.floor(random() * 500) * 1_048_573) % 2 ** 30;
      const present = reference.has(key);
      expect(set.addIfAbsent(key)).toBe(present);
      if (!present) reference.set(key, generation);
      expect(set.size).toBe(reference.size);
    }
  });

  it('stays exact while it grows for a crowd and shrinks after it', () => {
    const set = new GenerationSet();
    const reference = new Set<number>();
    let previous = new Set<number>();
    let seed = 13;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let generation = 0; generation < 60; generation++) {
      // Generations of a few keys, then thousands, then a few again.
      const keys = 3 + Math.floor(3_000 * Math.max(0, Math.sin(generation / 6)) ** 4);
      for (let i = 0; i < keys * 2; i++) {
        const key = (Math.floor(random() * keys * 3) * 1_048_573 + generation) % 2 ** 30;
        const present = reference.has(key) || previous.has(key);
        expect(set.addIfAbsent(key)).toBe(present);
        if (!present) reference.add(key);
      }
      expect(set.size).toBe(reference.size + previous.size);
      set.nextGeneration();
      previous = new Set(reference);
      reference.clear();
    }
  });
});
