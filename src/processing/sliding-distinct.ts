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
  /** Id -> the second it was last seen, relative to `origin`. */
  private readonly lastSeen = new ChatterTable();
  /**
   * The first second seen. Seconds are kept relative to it: epoch seconds are too large for
   * V8's small integers, and `%` on them is a floating-point remainder, slow in a hot loop.
   */
  private origin = Number.NaN;
  /**
   * How many ids were last seen in each second of the window, by relative second % width. A
   * plain array of small integers: a typed array this small costs more in its header.
   */
  private readonly slotCounts: number[];
  /** The window's last second (relative); -1 before the first. */
  private current = -1;
  private total = 0;
  private nextSweep = 0;
  private lastSweep = -1;

  constructor(width: number) {
    if (!Number.isInteger(width) || width < 1)
      throw new Error(`window width must be >= 1, got ${width}`);
    this.width = width;
    this.slotCounts = new Array<number>(width).fill(0);
  }

  /**
   * Adds the ids seen in `second`, the first `count` of `ids` (repeats allowed); seconds must not
   * go backwards. Returns how many distinct ids `second` has seen so far.
   */
  add(second: number, ids: ArrayLike<number>, count = ids.length): number {
    this.advance(second);
    const relative = this.current;
    const slot = relative % this.width;
    let distinct = this.slotCounts[slot]!;
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      const previous = this.lastSeen.get(id);
      if (previous === relative) continue;
      // Not found is -1, always outside the window: relative seconds start at 0.
      if (previous > relative - this.width && previous >= 0) {
        this.slotCounts[previous % this.width]! -= 1;
      } else {
        this.total += 1;
      }
      // At most one sweep a second: a table full of live ids must grow, not sweep per id.
      if (previous < 0 && this.lastSeen.full && relative > this.lastSweep) this.sweep();
      this.lastSeen.set(id, relative);
      distinct += 1;
    }
    this.slotCounts[slot] = distinct;
    return distinct;
  }

  /** Distinct ids in [second - width + 1, second] after `advance(second)`. */
  get count(): number {
    return this.total;
  }

  /** Distinct ids in the last `width` seconds (at most the full width). */
  countWithin(width: number): number {
    if (width >= this.width) return this.total;
    let sum = 0;
    let slot = this.current % this.width;
    for (let back = 0; back < width && back <= this.current; back++) {
      sum += this.slotCounts[slot]!;
      slot = slot === 0 ? this.width - 1 : slot - 1;
    }
    return sum;
  }

  /** Moves the window so that it ends at `second`, forgetting what falls out. */
  advance(second: number): void {
    if (Number.isNaN(this.origin)) this.origin = second;
    const relative = second - this.origin;
    if (relative < this.current) {
      throw new Error(`second ${second} is before ${this.origin + this.current}`);
    }
    // The slots of the seconds that enter the window still count the ones a width earlier.
    const steps = Math.min(relative - this.current, this.width);
    for (let step = steps - 1; step >= 0; step--) {
      const slot = (relative - step) % this.width;
      this.total -= this.slotCounts[slot]!;
      this.slotCounts[slot] = 0;
    }
    this.current = relative;
    if (relative >= this.nextSweep) this.sweep();
  }

  private sweep(): void {
    this.lastSweep = this.current;
    this.nextSweep = this.current + SWEEP_EVERY_WIDTHS * this.width;
    if (this.lastSeen.size === 0) return;
    const oldest = this.current - this.width;
    this.lastSeen.retain((_id, lastSeen) => lastSeen > oldest);
  }
}
