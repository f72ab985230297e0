// One test of the detector: one signal (distinct reacting chatters, reactions, or reactions
// carrying emotes) counted over the last `widthS` seconds, with an exponentially weighted mean
// and variance of that count as the channel's normal. One instance serves every channel: each
// channel's count, mean and variance are three doubles in its slot of the shared columns (see
// ChannelColumns), read and written at the channel's `base` in `values`.
import { surprise } from './count-tail.ts';
import type { Signal } from './moment.ts';

/** Doubles per test in a channel's slot. */
export const BASELINE_FLOATS = 3;
const COUNT = 0;
const MEAN = 1;
const VARIANCE = 2;

export class WindowBaseline {
  readonly signal: Signal;
  readonly widthS: number;
  /** Where this test's doubles start, from a channel's base. */
  private readonly at: number;

  /** `index`: the test's position among the detector's tests. */
  constructor(signal: Signal, widthS: number, index: number) {
    this.signal = signal;
    this.widthS = widthS;
    this.at = index * BASELINE_FLOATS;
  }

  /** The signal's count in the window ending with the channel's last observed second. */
  count(values: Float64Array, base: number): number {
    return values[base + this.at + COUNT]!;
  }

  mean(values: Float64Array, base: number): number {
    return values[base + this.at + MEAN]!;
  }

  update(values: Float64Array, base: number, count: number): void {
    values[base + this.at + COUNT] = count;
  }

  /**
   * How unusual the current window is; `minMean` keeps a silent channel's bar above zero. Exact
   * from `level` up (see `surprise` in count-tail.ts).
   */
  surprise(values: Float64Array, base: number, minMean: number, level?: number): number {
    const at = base + this.at;
    const mean = Math.max(values[at + MEAN]!, minMean);
    return surprise(values[at + COUNT]!, mean, Math.max(values[at + VARIANCE]!, mean), level);
  }

  /** Moves the baseline toward the current window by `alpha` (an exponential moving average). */
  learn(values: Float64Array, base: number, alpha: number): void {
    const at = base + this.at;
    const diff = values[at + COUNT]! - values[at + MEAN]!;
    const increment = alpha * diff;
    values[at + MEAN] = values[at + MEAN]! + increment;
    values[at + VARIANCE] = (1 - alpha) * (values[at + VARIANCE]! + diff * increment);
  }
}
