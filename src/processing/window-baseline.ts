// One time scale of the detector: distinct reacting chatters over the last `widthS` seconds
// (read from the detector's one sliding count), with an exponentially weighted mean and
// variance of that count as the channel's normal.
import { surprise } from './count-tail.ts';
import { SlidingDistinct } from './sliding-distinct.ts';

export class WindowBaseline {
  readonly widthS: number;
  private readonly distinct: SlidingDistinct;
  /** Distinct chatters in the window ending with the last added second (see `update`). */
  chatters = 0;
  mean = 0;
  variance = 0;

  constructor(widthS: number, distinct: SlidingDistinct) {
    if (widthS > distinct.width) throw new Error(`window ${widthS} s is wider than its count`);
    this.widthS = widthS;
    this.distinct = distinct;
  }

  /** Reads the window's count after a second was added to the shared sliding count. */
  update(): void {
    this.chatters = this.distinct.countWithin(this.widthS);
  }

  /** How unusual the current window is; `minMean` keeps a silent channel's bar above zero. */
  surprise(minMean: number): number {
    const mean = Math.max(this.mean, minMean);
    return surprise(this.chatters, mean, Math.max(this.variance, mean));
  }

  /** Moves the baseline toward the current window by `alpha` (an exponential moving average). */
  learn(alpha: number): void {
    const diff = this.chatters - this.mean;
    const increment = alpha * diff;
    this.mean += increment;
    this.variance = (1 - alpha) * (this.variance + diff * increment);
  }
}
