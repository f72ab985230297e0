import { describe, expect, it } from 'vitest';
import { PartitionWatermark } from '../../src/processing/partition-watermark.ts';

describe('PartitionWatermark', () => {
  it('follows the slowest partition that is still delivering, however far behind', () => {
    const watermark = new PartitionWatermark(10_000);
    expect(watermark.current(0)).toBe(Number.NEGATIVE_INFINITY);
    watermark.observe('chat/0', 300_000, 0);
    watermark.observe('chat/1', 20_000, 0);
    expect(watermark.current(1_000)).toBe(20_000);
    watermark.observe('chat/1', 25_000, 2_000);
    watermark.observe('chat/1', 15_000, 2_000); // out of order: never moves back
    expect(watermark.current(2_000)).toBe(25_000);
  });

  it('leaves out a partition that delivered nothing for the idle time', () => {
    const watermark = new PartitionWatermark(10_000);
    watermark.observe('chat/0', 10_000, 0);
    watermark.observe('chat/1', 100_000, 9_000);
    expect(watermark.current(9_500)).toBe(10_000);
    expect(watermark.current(10_500)).toBe(100_000);
  });

  it('goes on from the newest time at the pace of the clock once every partition is idle', () => {
    const watermark = new PartitionWatermark(10_000);
    watermark.observe('chat/0', 10_000, 0);
    watermark.observe('chat/1', 50_000, 2_000);
    expect(watermark.current(11_000)).toBe(50_000); // chat/1 still active
    expect(watermark.current(12_000)).toBe(60_000); // idle for 10 s since the last delivery
    expect(watermark.current(62_000)).toBe(110_000);
    watermark.observe('chat/0', 111_000, 63_000); // chat again: the partitions decide
    expect(watermark.current(63_500)).toBe(111_000);
  });

  it('drops partitions that moved to another consumer', () => {
    const watermark = new PartitionWatermark(10_000);
    watermark.observe('chat/0', 90_000, 0);
    watermark.observe('chat/1', 100_000, 0);
    watermark.forget('chat/0');
    expect(watermark.current(0)).toBe(100_000);
  });
});
