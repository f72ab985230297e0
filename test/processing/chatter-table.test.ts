import { describe, expect, it } from 'vitest';
import { ChatterTable } from '../../src/processing/chatter-table.ts';

describe('ChatterTable', () => {
  it('behaves like a Map under random sets, deletes and clears', () => {
    const table = new ChatterTable();
    const reference = new Map<number, number>();
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let step = 0; step < 200_000; step++) {
      // Few distinct keys, so probe runs collide, wrap around and shift back on delete.
      const key = (Math.floor(random() * 300) * 1_048_573) % 2 ** 30;
      const action = random();
      if (action < 0.5) {
        const value = Math.floor(random() * 1000);
        table.set(key, value);
        reference.set(key, value);
      } else if (action < 0.9995) {
        table.delete(key);
        reference.delete(key);
      } else {
        table.clear();
        reference.clear();
      }
      expect(table.size).toBe(reference.size);
      const probe = (Math.floor(random() * 300) * 1_048_573) % 2 ** 30;
      expect(table.get(probe)).toBe(reference.get(probe) ?? -1);
    }
    for (const [key, value] of reference) expect(table.get(key)).toBe(value);
  });

  it('behaves like a Map under random puts and sweeps', () => {
    const table = new ChatterTable();
    const reference = new Map<number, number>();
    let seed = 11;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let step = 0; step < 100_000; step++) {
      // Key counts that rise and fall, so sweeps meet full, wrapped and sparse tables.
      const spread = 20 + Math.floor(600 * Math.abs(Math.sin(step / 5_000)));
      const key = (Math.floor(random() * spread) * 1_048_573) % 2 ** 30;
      if (random() < 0.995) {
        const value = Math.floor(random() * 100);
        expect(table.put(key, value)).toBe(reference.get(key) ?? -1);
        reference.set(key, value);
      } else {
        const cut = Math.floor(random() * 100);
        table.retainAbove(cut - 1);
        for (const [k, value] of reference) if (value < cut) reference.delete(k);
        expect(table.size).toBe(reference.size);
        for (const [k, value] of reference) expect(table.get(k)).toBe(value);
      }
      expect(table.size).toBe(reference.size);
    }
  });

  it('grows for a crowd and shrinks when it leaves', () => {
    const table = new ChatterTable();
    for (let key = 0; key < 5_000; key++) table.set(key * 4099, key);
    expect(table.size).toBe(5_000);
    for (let key = 0; key < 5_000; key++) expect(table.get(key * 4099)).toBe(key);
    for (let key = 0; key < 4_990; key++) table.delete(key * 4099);
    expect(table.size).toBe(10);
    for (let key = 4_990; key < 5_000; key++) expect(table.get(key * 4099)).toBe(key);
    expect(table.get(0)).toBe(-1);
  });
});
