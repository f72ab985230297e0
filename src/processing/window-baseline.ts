// One test of the detector: one signal (distinct reacting chatters, reactions, or reactions
// carrying emotes) counted over the last `widthS` seconds, with an exponentially weighted mean
// and variance of that count as the channel's normal.
import { surprise } from './count-tail.ts';
import type { Signal } from './moment.ts';

export class WindowBaseline {
  readonly signal: Signal;
  readonly widthS: number;
  /** The signal's count in the window ending with the last observed second (see `update`). */
  count = 0;
  mean = 0;
  variance = 0;

  constructor(signal: Signal, widthS: number) {
    this.signal = signal;
    this.widthS = widthS;
  }

  update(count: number): void {
    this.count = count;
  }

  /**
   * How unusual the current window is; `minMean` keeps a silent channel's bar above zero. Exact
   * from `level` up (see `surprise` in count-tail.ts).
   */
  surprise(minMean: number, level?: number): number {
    const mean = Math.max(this.mean, minMean);
    return surprise(this.count, mean, Math.max(this.variance, mean), level);
  }

  /** Moves the baseline toward the current window by `alpha` (an exponential moving average). */
  learn(alpha: number): void {
    const diff = this.count - this.mean;
    const increment = alpha * diff;
    this.mean += increment;
    this.variance = (1 - alpha) * (this.variance + diff * increment);
  }
}
