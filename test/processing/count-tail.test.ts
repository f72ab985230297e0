import { describe, expect, it } from 'vitest';
import { logGamma, surprise } from '../../src/processing/count-tail.ts';

/** Brute-force upper tails by summing the pmf directly. */
function poissonTail(x: number, mean: number): number {
  let pmf = Math.exp(-mean);
  let below = 0;
  for (let k = 0; k < x; k++) {
    below += pmf;
    pmf *= mean / (k + 1);
  }
  return 1 - below;
}

describe('logGamma', () => {
  it.each([
    [1, 0],
    [2, 0],
    [5, Math.log(24)],
    [0.5, Math.log(Math.sqrt(Math.PI))],
    [101, 363.73937555556347],
  ])('lnΓ(%d)', (z, expected) => {
    expect(logGamma(z)).toBeCloseTo(expected, 9);
  });
});

describe('surprise', () => {
  it('matches the Poisson tail when not over-dispersed', () => {
    for (const [x, mean] of [
      [5, 1],
      [12, 3.5],
      [30, 10],
    ] as const) {
      expect(surprise(x, mean, mean)).toBeCloseTo(-Math.log10(poissonTail(x, mean)), 6);
    }
  });

  it('matches a negative binomial computed term by term', () => {
    // r = 2, q = 0.5: mean 2, variance 4; P(X >= 6) = 1 - sum_{k<6} (k+1) / 2^(k+2).
    let below = 0;
    for (let k = 0; k < 6; k++) below += (k + 1) / 2 ** (k + 2);
    expect(surprise(6, 2, 4)).toBeCloseTo(-Math.log10(1 - below), 6);
  });

  it('is zero at or below the mean and grows with the count', () => {
    expect(surprise(3, 5, 8)).toBe(0);
    expect(surprise(5, 5, 8)).toBe(0);
    expect(surprise(20, 5, 8)).toBeGreaterThan(surprise(12, 5, 8));
  });

  it('sees a crowd in a quiet channel that a z-score would call ordinary', () => {
    // A quarter of a chatter per 5 s normally; five at once is (5 - 0.25) / sqrt(0.25) = 9.5 sd,
    // yet a z-score floored for small counts stays near 4. The tail says one in ~150,000 windows.
    expect(surprise(5, 0.25, 0.25)).toBeCloseTo(5.18, 2);
    // Over-dispersion makes the same count less surprising.
    expect(surprise(5, 0.25, 1)).toBeLessThan(surprise(5, 0.25, 0.25));
  });

  it('is finite for very large counts', () => {
    expect(Number.isFinite(surprise(50_000, 1_000, 5_000))).toBe(true);
    expect(surprise(50_000, 1_000, 5_000)).toBeGreaterThan(100);
  });

  it('is exact from a level up and stays below the level under it', () => {
    let seed = 11;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let step = 0; step < 5_000; step++) {
      const mean = 0.05 + random() * 40;
      const variance = mean * (random() < 0.5 ? 1 : 1 + random() * 5);
      const x = Math.floor(random() * mean * 3);
      const level = random() * 8;
      const exact = surprise(x, mean, variance);
      const bounded = surprise(x, mean, variance, level);
      if (exact >= level) expect(bounded).toBe(exact);
      else expect(bounded).toBeLessThan(level);
      expect(bounded).toBeGreaterThanOrEqual(exact);
    }
  });

  it('decides like the exact tail for near-Poisson, over-dispersed and busy counts alike', () => {
    let seed = 23;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let step = 0; step < 20_000; step++) {
      const mean = 0.05 + random() ** 3 * 2_000;
      // Variance just above the Poisson cut (sizes in the millions) up to 50 times the mean.
      const variance = mean * (1 + 10 ** (-5 + random() * 6.7));
      const x = Math.floor(mean + random() * 12 * Math.sqrt(variance) + random() * 3);
      const level = random() * 10;
      const exact = surprise(x, mean, variance);
      const bounded = surprise(x, mean, variance, level);
      if (exact >= level) expect(bounded).toBe(exact);
      else expect(bounded).toBeLessThan(level);
      expect(bounded).toBeGreaterThanOrEqual(exact);
    }
  });
});
