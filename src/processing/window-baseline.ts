// One time scale of the detector: distinct reacting chatters over the last `widthS` seconds,
// with an exponentially weighted mean and variance of that count as the channel's normal.
import { surprise } from './count-tail.ts';
import { SlidingDistinct } from './sliding-distinct.ts';

export class WindowBaseline {
  readonly widthS: number;
  private readonly window: SlidingDistinct;
  mean = 0;
  variance = 0;

  constructor(widthS: number) {
    this.widthS = widthS;
    this.window = new SlidingDistinct(widthS);
  }

  add(second: number, chatters: readonly number[]): void {
    this.window.add(second, chatters);
  }

  /** Distinct chatters in the window ending with the last added second. */
  get chatters(): number {
    return this.window.count;
  }

  /** How unusual the current window is; `minMean` keeps a silent channel's bar above zero. */
  surprise(minMean: number): number {
    const mean = Math.max(this.mean, minMean);
    return surprise(this.window.count, mean, Math.max(this.variance, mean));
  }

  /** Moves the baseline toward the current window by `alpha` (an exponential moving average). */
  learn(alpha: number): void {
    const diff = this.window.count - this.mean;
    const increment = alpha * diff;
    this.mean += increment;
    this.variance = (1 - alpha) * (this.variance + diff * increment);
  }
}
