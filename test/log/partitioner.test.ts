import { describe, expect, it } from 'vitest';
import { murmur2, partitionFor } from '../../src/log/partitioner.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('Kafka default partitioner', () => {
  // Vectors from Kafka's own UtilsTest: the same key lands in the same partition on Kafka.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('murmur2(%s) = %d', (key, expected) => {
    expect(murmur2(bytes(key))).toBe(expected);
  });

  it('spreads channel ids over partitions', () => {
    const counts = new Array(8).fill(0);
    for (let id = 0; id < 8000; id++) counts[partitionFor(String(100000 + id), 8)]++;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });
});
