// How surprising a count is: -log10 P(X >= x) when X is a count with the given mean and
// variance — negative binomial when over-dispersed (chat is burstier than Poisson), Poisson
// otherwise. The result has the same meaning for a channel at 0.2 and at 200 messages/s:
// a surprise of 6 is a one-in-a-million window, whatever the channel's size.

/** Terms summed beyond x; far above the mean they shrink geometrically, so few are needed. */
const MAX_TERMS = 400;
const LN10 = Math.log(10);

/**
 * The surprise of `x`, exactly when it is `level` or more; when it is less, possibly only an upper
 * bound that is still below `level`, so comparisons with `level` come out the same. The bound is
 * -log10 P(X = x) (the tail holds at least that term): it skips summing the tail, which for a
 * count just above the mean takes the most terms, and most windows are nowhere near a moment.
 * Before that, a cheaper bound on the bound: P(X = x) with each lnΓ replaced by Stirling's
 * formula and its error term at whichever end lowers the probability (`lnGammaAbove`,
 * `lnGammaBelow`), a log per lnΓ instead of Lanczos' eight divisions and two logs. And a tail
 * that is summed stops once its sum puts the surprise below `level`.
 */
export function surprise(x: number, mean: number, variance: number, level = 0): number {
  if (x <= mean) return 0;
  return variance > mean * 1.0001
    ? negativeBinomialSurprise(x, mean, variance, level)
    : poissonSurprise(x, mean, level);
}

/** For X ~ Poisson(mean). */
function poissonSurprise(x: number, mean: number, level: number): number {
  const cheap = fromLogTail(-mean + x * Math.log(mean) - lnGammaAbove(x + 1));
  if (cheap < level - BOUND_MARGIN) return cheap;
  return exactPoissonSurprise(x, mean, level);
}

/**
 * The exact part, apart: the cheap bound above decides most tests, and alone it is small enough
 * for V8 to inline into the scoring loop (a call that is not inlined returns its double boxed).
 */
function exactPoissonSurprise(x: number, mean: number, level: number): number {
  const logPmf = -mean + x * Math.log(mean) - logGamma(x + 1);
  if (fromLogTail(logPmf) < level) return fromLogTail(logPmf);
  const sum = sumPoissonRatios(x, mean, enoughBelow(level, logPmf));
  return fromLogTail(logPmf + Math.log(sum));
}

/** For X ~ NB with size r and p chosen so that E[X] = mean, Var[X] = variance. */
function negativeBinomialSurprise(
  x: number,
  mean: number,
  variance: number,
  level: number,
): number {
  const size = (mean * mean) / (variance - mean);
  const q = mean / (size + mean); // probability of one more count
  const tail = size * Math.log1p(-q) + x * Math.log(q);
  const cheap = fromLogTail(
    lnGammaBelow(x + size) - lnGammaAbove(size) - lnGammaAbove(x + 1) + tail,
  );
  if (cheap < level - BOUND_MARGIN) return cheap;
  return exactNegativeBinomialSurprise(x, size, q, level);
}

/** The exact part, apart (see `exactPoissonSurprise`). */
function exactNegativeBinomialSurprise(x: number, size: number, q: number, level: number): number {
  const logPmf =
    logGamma(x + size) - logGamma(size) - logGamma(x + 1) + size * Math.log1p(-q) + x * Math.log(q);
  if (fromLogTail(logPmf) < level) return fromLogTail(logPmf);
  const sum = sumNegativeBinomialRatios(x, size, q, enoughBelow(level, logPmf));
  return fromLogTail(logPmf + Math.log(sum));
}

/**
 * A sum of ratios (see `sumPoissonRatios`) past which the surprise is surely below `level`, a little
 * beyond the exact point so that rounding cannot turn the decision. An over-dispersed tail decays
 * slowly (hundreds of terms), and below the level its exact value does not matter.
 */
function enoughBelow(level: number, logPmf: number): number {
  return Math.exp(-level * LN10 - logPmf) * (1 + 1e-9);
}

/** -log10 of a probability given as its natural log (never below 0: rounding may push it there). */
function fromLogTail(logProbability: number): number {
  return Math.max(0, -logProbability / LN10);
}

/**
 * 1 + pmf(x+1)/pmf(x) + pmf(x+2)/pmf(x) + ... for the Poisson, whose consecutive terms have the
 * ratio mean / (k + 1); partial once past `enough`. The terms are added in the same order either
 * way, so a sum that never gets there is exactly the full one. (One loop per distribution, the
 * ratio written out: a ratio passed as a function was a call per term, its result boxed.)
 */
function sumPoissonRatios(x: number, mean: number, enough: number): number {
  let sum = 1;
  let term = 1;
  for (let k = x; k < x + MAX_TERMS; k++) {
    term *= mean / (k + 1);
    sum += term;
    if (term < sum * 1e-12 || sum > enough) break;
  }
  return sum;
}

/** As `sumPoissonRatios`, for the negative binomial: ratio ((k + size) / (k + 1)) * q. */
function sumNegativeBinomialRatios(x: number, size: number, q: number, enough: number): number {
  let sum = 1;
  let term = 1;
  for (let k = x; k < x + MAX_TERMS; k++) {
    term *= ((k + size) / (k + 1)) * q;
    sum += term;
    if (term < sum * 1e-12 || sum > enough) break;
  }
  return sum;
}

/**
 * Room left for rounding when the cheap bound decides alone: its terms are computed in doubles
 * (for a near-Poisson count, two large ones that mostly cancel), and the decision must be the
 * one the exact bound would take.
 */
const BOUND_MARGIN = 1e-6;
const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Stirling's formula for ln Γ(z), z > 0, which is below it: ln Γ(z) = this + μ(z) with
 * 0 < μ(z) < 1 / (12 z) (Binet).
 */
function lnGammaBelow(z: number): number {
  return (z - 0.5) * Math.log(z) - z + HALF_LN_2PI;
}

/** Above ln Γ(z), z > 0, by at most 1 / (12 z) (see lnGammaBelow). */
function lnGammaAbove(z: number): number {
  return lnGammaBelow(z) + 1 / (12 * z);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(z) for z > 0 (Lanczos, g = 7): about 15 significant digits. */
export function logGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const shifted = z - 1;
  let series = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) series += LANCZOS[i]! / (shifted + i);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(series);
}
