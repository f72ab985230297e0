// Count of distinct ids (chatter keys, see chatter-key.ts) over the last `width` seconds, and
// over any shorter window ending at the same second, updated one second at a time.
// Each id counts in the slot of the second it was last seen, so the distinct ids of the last
// w seconds are the sum of the last w slots' counts: one table serves every window width.
// Ids that left the window stay in the table, recognisably stale, until the table is about to
// grow (or, to give memory back after a crowd left, a few widths have passed): then a sweep
// drops them. No per-second lists of ids to keep; amortised O(1) per appearance.
import { ChatterTable } from './chatter-table.ts';

const SWEEP_EVERY_WIDTHS = 2;

export class SlidingDistinct {
  readonly width: number;
  /** Id -> the second it was last seen, relative to `origin` (small integers stay unboxed). */
  private readonly lastSeen = new ChatterTable();
  private origin: number | null = null;
  /** How many ids were last seen in each second of the window, by `second % width`. */
  private readonly slotCounts: number[];
  private current = Number.NEGATIVE_INFINITY;
  private total = 0;
  private nextSweep = Number.NEGATIVE_INFINITY;
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(width: number) {
    if (!Number.isInteger(width) || width < 1)
      throw new Error(`window width must be >= 1, got ${width}`);
    this.width = width;
    this.slotCounts = new Array<number>(width).fill(0);
  }

  /** Adds the ids seen in `second`, the first `count` of `ids`; seconds must not go backwards. */
  add(second: number, ids: readonly (number | string)[], count = ids.length): void {
    this.advance(second);
    const slot = this.slotOf(second);
    const origin = (this.origin ??= second);
    const relative = second - origin;
    for (let i = 0; i < count; i++) {
      const id = ids[i] as number;
      const previous = this.lastSeen.get(id);
      if (previous === relative) continue;
      // Not found is -1, always outside the window: relative seconds start at 0.
      if (previous > relative - this.width && previous >= 0) {
        this.slotCounts[this.slotOf(previous + origin)]! -= 1;
      } else {
        this.total += 1;
      }
      // At most one sweep a second: a table full of live ids must grow, not sweep per id.
      if (previous < 0 && this.lastSeen.full && second > this.lastSweep) this.sweep(second);
      this.lastSeen.set(id, relative);
      this.slotCounts[slot]! += 1;
    }
  }

  /** Distinct ids in [second - width + 1, second] after `advance(second)`. */
  get count(): number {
    return this.total;
  }

  /** Distinct ids in the last `width` seconds (at most the full width). */
  countWithin(width: number): number {
    if (width >= this.width) return this.total;
    let sum = 0;
    for (let back = 0; back < width; back++) {
      sum += this.slotCounts[this.slotOf(this.current - back)]!;
    }
    return sum;
  }

  /** Moves the window so that it ends at `second`, forgetting what falls out. */
  advance(second: number): void {
    if (second < this.current) throw new Error(`second ${second} is before ${this.current}`);
    const steps = Math.min(second - this.current, this.width);
    for (let step = steps - 1; step >= 0; step--) {
      const slot = this.slotOf(second - step - this.width);
      this.total -= this.slotCounts[slot]!;
      this.slotCounts[slot] = 0;
    }
    this.current = second;
    if (second >= this.nextSweep) this.sweep(second);
  }

  private sweep(second: number): void {
    this.lastSweep = second;
    this.nextSweep = second + SWEEP_EVERY_WIDTHS * this.width;
    if (this.origin === null || this.lastSeen.size === 0) return;
    const oldest = second - this.origin - this.width;
    this.lastSeen.retain((_id, lastSeen) => lastSeen > oldest);
  }

  private slotOf(second: number): number {
    return ((second % this.width) + this.width) % this.width;
  }
}
