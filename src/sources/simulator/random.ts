// Seeded randomness for the simulator: every draw comes from here, so a seed reproduces a run.
// sfc32 is small, fast in 32-bit JS arithmetic and passes PractRand; the distributions below are
// the ones chat needs (gamma-Poisson for bursty counts, log-normal for sizes).

/** Mixes any number of labels into one 32-bit seed (FNV-1a, then a murmur3 finaliser). */
export function hashSeed(...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    const text = String(part);
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    // A separator so ('ab', 'c') and ('a', 'bc') differ.
    hash = Math.imul(hash ^ 0xff, 0x01000193);
  }
  return finalize32(hash);
}

/** murmur3's fmix32: spreads every input bit over every output bit. */
export function finalize32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const TWO_POW_32 = 4294967296;
/** Below this mean, Poisson by inversion (one uniform); above, by transformed rejection. */
const POISSON_INVERSION_LIMIT = 30;

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Box-Muller makes normals in pairs; the second is kept for the next call. */
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    // Warm-up rounds decorrelate generators whose seeds differ in a few bits.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** An independent generator for one purpose, so adding draws elsewhere does not shift it. */
  fork(...labels: readonly (string | number)[]): Random {
    return new Random(hashSeed(this.nextUint32(), ...labels));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [min, maxExclusive). */
  int(min: number, maxExclusive: number): number {
    return min + Math.floor(this.next() * (maxExclusive - min));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Fisher-Yates, in place. */
  shuffle<T extends { length: number; [index: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const swap = items[i];
      items[i] = items[j];
      items[j] = swap;
    }
    return items;
  }

  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * spare;
    }
    // 1 - next() is in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return mean + sd * radius * Math.cos(angle);
  }

  /** Log-normal given its median and the sd of its logarithm: sizes, lengths, latencies. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Marsaglia-Tsang; shape < 1 by the boost Gamma(a) = Gamma(a + 1) * U^(1/a). */
  gamma(shape: number, scale = 1): number {
    if (shape < 1) return this.gamma(shape + 1, scale) * Math.pow(this.next(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  poisson(mean: number): number {
    if (mean <= 0) return 0;
    return mean < POISSON_INVERSION_LIMIT ? this.poissonByInversion(mean) : this.poissonPtrs(mean);
  }

  /**
   * Counts more variable than Poisson: variance = mean + mean^2 / dispersion. Built as a
   * gamma-Poisson mixture, which is how real chat behaves (the rate itself fluctuates).
   */
  negativeBinomial(mean: number, dispersion: number): number {
    if (mean <= 0) return 0;
    return this.poisson(this.gamma(dispersion, mean / dispersion));
  }

  private poissonByInversion(mean: number): number {
    const u = this.next();
    let k = 0;
    let probability = Math.exp(-mean);
    let cumulative = probability;
    // The cap only guards against rounding leaving `cumulative` a hair below u forever.
    const cap = mean * 10 + 50;
    while (u > cumulative && k < cap) {
      k += 1;
      probability *= mean / k;
      cumulative += probability;
    }
    return k;
  }

  /** Hörmann's PTRS (transformed rejection with squeeze): O(1) for large means. */
  private poissonPtrs(mean: number): number {
    const sqrtMean = Math.sqrt(mean);
    const logMean = Math.log(mean);
    const b = 0.931 + 2.53 * sqrtMean;
    const a = -0.059 + 0.02483 * b;
    const inverseAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.next() - 0.5;
      const v = this.next();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      const accept =
        Math.log(v) + Math.log(inverseAlpha) - Math.log(a / (us * us) + b) <=
        -mean + k * logMean - logFactorial(k);
      if (accept) return k;
    }
  }
}

const LOG_FACTORIAL_TABLE_SIZE = 256;
const logFactorialTable = new Float64Array(LOG_FACTORIAL_TABLE_SIZE);
for (let k = 2; k < LOG_FACTORIAL_TABLE_SIZE; k++) {
  logFactorialTable[k] = (logFactorialTable[k - 1] as number) + Math.log(k);
}

/** ln(k!): a table for small k, Stirling's series (error < 1e-10 here) beyond. */
export function logFactorial(k: number): number {
  if (k < LOG_FACTORIAL_TABLE_SIZE) return logFactorialTable[k] as number;
  const n = k;
  return (
    n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n * n * n)
  );
}

/** Picks items in proportion to their weights in O(log n), from a precomputed table. */
export class WeightedChoice<T> {
  private readonly items: T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new RangeError('a weighted choice needs at least one item');
    this.items = entries.map(([item]) => item);
    this.cumulative = new Float64Array(entries.length);
    let total = 0;
    entries.forEach(([, weight], index) => {
      if (!(weight >= 0)) throw new RangeError(`weight must be >= 0, got ${weight}`);
      total += weight;
      this.cumulative[index] = total;
    });
    if (total <= 0) throw new RangeError('weights must not all be zero');
    this.total = total;
  }

  pick(random: Random): T {
    const target = random.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return this.items[low] as T;
  }
}
