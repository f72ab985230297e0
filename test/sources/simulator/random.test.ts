import { describe, expect, it } from 'vitest';
import {
  Random,
  WeightedChoice,
  hashSeed,
  logFactorial,
} from '../../../src/sources/simulator/random.ts';
import { mean, variance } from './simulate.ts';

const draws = (count: number, draw: () => number): number[] => Array.from({ length: count }, draw);

describe('Random', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const first = draws(5, () => new Random(7).nextUint32());
    expect(new Set(first).size).toBe(1);
    const a = new Random(7);
    const b = new Random(7);
    const c = new Random(8);
    const sequenceA = draws(100, () => a.next());
    expect(draws(100, () => b.next())).toEqual(sequenceA);
    expect(draws(100, () => c.next())).not.toEqual(sequenceA);
    expect(sequenceA.every((value) => value >= 0 && value < 1)).toBe(true);
  });

  it('forks independent streams by label', () => {
    const parent = new Random(1);
    const left = parent.fork('left');
    const right = new Random(1).fork('right');
    expect(draws(10, () => left.nextUint32())).not.toEqual(draws(10, () => right.nextUint32()));
    expect(hashSeed('a', 'bc')).not.toBe(hashSeed('ab', 'c'));
  });

  it('draws normal, exponential and gamma with the right moments', () => {
    const random = new Random(3);
    const normal = draws(50_000, () => random.normal(2, 3));
    expect(mean(normal)).toBeCloseTo(2, 1);
    expect(Math.sqrt(variance(normal))).toBeCloseTo(3, 1);
    expect(mean(draws(50_000, () => random.exponential(4)))).toBeCloseTo(4, 0);
    for (const shape of [0.5, 2, 9]) {
      const gamma = draws(50_000, () => random.gamma(shape, 2));
      expect(mean(gamma) / (shape * 2)).toBeCloseTo(1, 1);
      expect(variance(gamma) / (shape * 4)).toBeCloseTo(1, 1);
    }
  });

  it('draws Poisson counts for small and large means (inversion and PTRS)', () => {
    const random = new Random(4);
    for (const lambda of [0.3, 5, 29, 31, 400]) {
      const counts = draws(40_000, () => random.poisson(lambda));
      expect(counts.every(Number.isInteger)).toBe(true);
      expect(mean(counts) / lambda).toBeCloseTo(1, 1);
      expect(variance(counts) / lambda).toBeCloseTo(1, 1);
    }
    expect(random.poisson(0)).toBe(0);
  });

  it('draws negative binomial counts more dispersed than Poisson', () => {
    const random = new Random(5);
    const counts = draws(40_000, () => random.negativeBinomial(20, 4));
    expect(mean(counts) / 20).toBeCloseTo(1, 1);
    // variance = mean + mean^2 / dispersion = 20 + 100
    expect(variance(counts) / 120).toBeCloseTo(1, 1);
  });

  it('knows ln(k!) exactly in the table and by Stirling beyond it', () => {
    expect(logFactorial(0)).toBe(0);
    expect(logFactorial(5)).toBeCloseTo(Math.log(120), 12);
    let exact = logFactorial(255);
    for (let k = 256; k <= 300; k++) exact += Math.log(k);
    expect(logFactorial(300)).toBeCloseTo(exact, 8);
  });
});

describe('WeightedChoice', () => {
  it('picks in proportion to the weights and never a zero weight', () => {
    const choice = new WeightedChoice([
      ['a', 1],
      ['b', 3],
      ['never', 0],
    ] as const);
    const random = new Random(6);
    const picks = draws(40_000, () => (choice.pick(random) === 'b' ? 1 : 0));
    expect(mean(picks)).toBeCloseTo(0.75, 1);
    expect(Array.from({ length: 1000 }, () => choice.pick(random))).not.toContain('never');
  });

  it('rejects empty or all-zero weights', () => {
    expect(() => new WeightedChoice([])).toThrow(RangeError);
    expect(() => new WeightedChoice([['a', 0]])).toThrow(RangeError);
  });
});
