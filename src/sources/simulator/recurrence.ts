// Something that happens now and then in a channel (a raid, a spam burst, a giveaway): arrivals
// are random (exponential gaps), around a mean that each channel draws from a range.
import type { Range } from './channels.ts';
import type { Random } from './random.ts';

export class Recurrence {
  private readonly meanS: number;
  private nextTs: number;

  constructor(random: Random, everyS: Range, fromTs: number) {
    this.meanS = random.uniform(everyS.min, everyS.max);
    this.nextTs = fromTs + this.gapMs(random);
  }

  /** True once per occurrence, in the second it falls in; then plans the next one. */
  due(second: number, random: Random): boolean {
    if (second < this.nextTs) return false;
    this.nextTs = second + this.gapMs(random);
    return true;
  }

  private gapMs(random: Random): number {
    return Math.round(random.exponential(this.meanS) * 1000);
  }
}
