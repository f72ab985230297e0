import { describe, expect, it } from 'vitest';
import { ChannelColumns } from '../../src/processing/channel-columns.ts';
import { lcg } from '../support/chat.ts';

describe('ChannelColumns', () => {
  it('keeps every live slot its own numbers through growth and reuse, like a map of arrays', () => {
    const columns = new ChannelColumns(3, 2);
    /** Slot -> what its owner wrote: the reference. */
    const reference = new Map<number, { ints: number[]; floats: number[] }>();
    const random = lcg(11);
    for (let step = 0; step < 5_000; step++) {
      const live = [...reference.keys()];
      if (live.length > 0 && random() < 0.4) {
        const slot = live[Math.floor(random() * live.length)]!;
        columns.release(slot);
        reference.delete(slot);
        continue;
      }
      const slot = columns.allocate();
      expect(reference.has(slot)).toBe(false);
      const at = (per: number) => [slot * per, (slot + 1) * per] as const;
      expect([...columns.ints.subarray(...at(3))]).toEqual([0, 0, 0]);
      expect([...columns.floats.subarray(...at(2))]).toEqual([0, 0]);
      const ints = [step, -step, Math.floor(random() * 1e9)];
      const floats = [random(), -random() * 1e12];
      columns.ints.set(ints, slot * 3);
      columns.floats.set(floats, slot * 2);
      reference.set(slot, { ints, floats });
      expect(columns.size).toBe(reference.size);
    }
    for (const [slot, { ints, floats }] of reference) {
      expect([...columns.ints.subarray(slot * 3, slot * 3 + 3)]).toEqual(ints);
      expect([...columns.floats.subarray(slot * 2, slot * 2 + 2)]).toEqual(floats);
    }
  });

  it('reuses released slots before growing', () => {
    const columns = new ChannelColumns(1, 1);
    const slots = Array.from({ length: 40 }, () => columns.allocate());
    expect(new Set(slots).size).toBe(40);
    const length = columns.ints.length;
    for (const slot of slots.slice(0, 20)) columns.release(slot);
    for (let i = 0; i < 20; i++) expect(columns.allocate()).toBeLessThan(40);
    expect(columns.ints.length).toBe(length);
  });
});
