// Count of distinct ids (chatter keys, see chatter-key.ts) over the last `width` seconds, and
// over any shorter window ending at the same second, updated one second at a time.
// Each id counts in the slot of the second it was last seen, so the distinct ids of the last
// w seconds are the sum of the last w slots' counts: one table serves every window width.
// Ids that left the window stay in the table, recognisably stale, until the table is about to
// grow with enough of them in it to be worth a sweep (or, to give memory back after a crowd
// left, a few widths have passed): then a sweep drops them. No per-second lists of ids to keep;
// amortised O(1) per appearance.
// Every active channel keeps one: its counters and slots are integers in the channels' shared
// columns (see ChannelColumns), not fields and arrays of its own.
import { ChannelColumns } from './channel-columns.ts';
import { ChatterTable } from './chatter-table.ts';

const SWEEP_EVERY_WIDTHS = 2;
/** A full table is swept rather than grown when at least 1 / STALE_SHARE of its ids are stale. */
const STALE_SHARE = 8;

/** Positions of the counters among the integers, before the slots. */
const CURRENT = 0;
const TOTAL = 1;
const NEXT_SWEEP = 2;
const LAST_SWEEP = 3;
const SLOTS = 4;
/** Position of the origin among the doubles. */
const ORIGIN = 0;

export class SlidingDistinct {
  readonly width: number;
  /** Id -> the second it was last seen, relative to the origin. */
  private readonly lastSeen = new ChatterTable();
  private readonly columns: ChannelColumns;
  /**
   * `SlidingDistinct.ints(width)` integers from `base` in `columns.ints`: the window's last
   * second (relative; -1 before the first), the distinct ids in it, when to sweep next and when
   * it last swept; then, by relative second % width, how many ids were last seen in each second
   * of the window.
   */
  private readonly base: number;
  /**
   * The first second seen (NaN before), a double at `floatBase` in `columns.floats`. Seconds
   * are kept relative to it: epoch seconds are too large for V8's small integers, and `%` on
   * them is a floating-point remainder, slow in a hot loop.
   */
  private readonly floatBase: number;

  /** Integers and doubles one takes in the columns. */
  static ints(width: number): number {
    return SLOTS + width;
  }

  static readonly floats = 1;

  /**
   * Takes `SlidingDistinct.ints(width)` integers from `base` and `SlidingDistinct.floats`
   * doubles from `floatBase` in `columns` (by default, columns of its own).
   */
  constructor(width: number, columns?: ChannelColumns, base = 0, floatBase = 0) {
    if (!Number.isInteger(width) || width < 1)
      throw new Error(`window width must be >= 1, got ${width}`);
    this.width = width;
    if (!columns) {
      columns = new ChannelColumns(SlidingDistinct.ints(width), SlidingDistinct.floats, 1);
      columns.allocate();
    }
    this.columns = columns;
    this.base = base;
    this.floatBase = floatBase;
    const { ints } = columns;
    ints.fill(0, base, base + SlidingDistinct.ints(width));
    ints[base + CURRENT] = -1;
    ints[base + LAST_SWEEP] = -1;
    columns.floats[floatBase + ORIGIN] = Number.NaN;
  }

  /**
   * Adds the ids seen in `second`, the first `count` of `ids` (repeats allowed); seconds must not
   * go backwards. Returns how many distinct ids `second` has seen so far.
   */
  add(second: number, ids: ArrayLike<number>, count = ids.length): number {
    this.advance(second);
    const { ints } = this.columns;
    const { base, width } = this;
    const slots = base + SLOTS;
    const relative = ints[base + CURRENT]!;
    const slot = slots + (relative % width);
    let distinct = ints[slot]!;
    const { lastSeen } = this;
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      if (lastSeen.full && this.worthSweeping(relative)) this.sweep();
      const previous = lastSeen.put(id, relative);
      if (previous === relative) continue;
      // Not found is -1, always outside the window: relative seconds start at 0.
      if (previous > relative - width && previous >= 0) {
        ints[slots + (previous % width)]! -= 1;
      } else {
        ints[base + TOTAL]! += 1;
      }
      distinct += 1;
    }
    ints[slot] = distinct;
    return distinct;
  }

  /** Distinct ids in [second - width + 1, second] after `advance(second)`. */
  get count(): number {
    return this.columns.ints[this.base + TOTAL]!;
  }

  /** Distinct ids in the last `width` seconds (at most the full width). */
  countWithin(width: number): number {
    const { ints } = this.columns;
    if (width >= this.width) return ints[this.base + TOTAL]!;
    const slots = this.base + SLOTS;
    const current = ints[this.base + CURRENT]!;
    let sum = 0;
    let slot = current % this.width;
    for (let back = 0; back < width && back <= current; back++) {
      sum += ints[slots + slot]!;
      slot = slot === 0 ? this.width - 1 : slot - 1;
    }
    return sum;
  }

  /** Moves the window so that it ends at `second`, forgetting what falls out. */
  advance(second: number): void {
    const { floats, ints } = this.columns;
    const { base, width } = this;
    let origin = floats[this.floatBase + ORIGIN]!;
    if (Number.isNaN(origin)) origin = floats[this.floatBase + ORIGIN] = second;
    const relative = second - origin;
    const current = ints[base + CURRENT]!;
    if (relative < current) {
      throw new Error(`second ${second} is before ${origin + current}`);
    }
    // The slots of the seconds that enter the window still count the ones a width earlier.
    const slots = base + SLOTS;
    const steps = Math.min(relative - current, width);
    for (let step = steps - 1; step >= 0; step--) {
      const slot = slots + ((relative - step) % width);
      ints[base + TOTAL]! -= ints[slot]!;
      ints[slot] = 0;
    }
    ints[base + CURRENT] = relative;
    if (relative >= ints[base + NEXT_SWEEP]!) this.sweep();
  }

  /**
   * Whether a table about to grow should be swept instead: at most once a second (a table full of
   * live ids must grow, not sweep per id), and only when the ids that left the window are a fair
   * share of it. Ids in the table but not in the window are exactly the stale ones; a sweep that
   * frees only a few would be repeated every second, each one a pass over the whole table.
   */
  private worthSweeping(relative: number): boolean {
    const { ints } = this.columns;
    if (relative <= ints[this.base + LAST_SWEEP]!) return false;
    const stale = this.lastSeen.size - ints[this.base + TOTAL]!;
    return stale * STALE_SHARE >= this.lastSeen.size;
  }

  private sweep(): void {
    const { ints } = this.columns;
    const current = ints[this.base + CURRENT]!;
    ints[this.base + LAST_SWEEP] = current;
    ints[this.base + NEXT_SWEEP] = current + SWEEP_EVERY_WIDTHS * this.width;
    if (this.lastSeen.size === 0) return;
    const oldest = current - this.width;
    this.lastSeen.retainAbove(oldest);
  }
}
