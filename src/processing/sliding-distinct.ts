// Count of distinct ids (chatter keys, see chatter-key.ts) over the last `width` seconds, updated one second at a time.
// Each id lives in the slot of the second it was last seen; when a slot leaves the window,
// only ids still pointing at it are forgotten. Amortised O(1) per appearance.
const EMPTY: readonly number[] = Object.freeze([]);

export class SlidingDistinct {
  private readonly width: number;
  private readonly lastSeen = new Map<number, number>();
  /** Ids seen in each second of the window: the caller's arrays, kept by reference, not copied. */
  private readonly slotIds: (readonly number[])[];
  private readonly slotCounts: Int32Array;
  private current = Number.NEGATIVE_INFINITY;
  private total = 0;

  constructor(width: number) {
    if (!Number.isInteger(width) || width < 1)
      throw new Error(`window width must be >= 1, got ${width}`);
    this.width = width;
    this.slotIds = new Array<readonly number[]>(width).fill(EMPTY);
    this.slotCounts = new Int32Array(width);
  }

  /** Adds the ids seen in `second` (the array must not change afterwards); seconds must not go backwards. */
  add(second: number, ids: readonly number[]): void {
    this.advance(second);
    const slot = this.slotOf(second);
    const earlier = this.slotIds[slot]!;
    this.slotIds[slot] = earlier.length === 0 ? ids : [...earlier, ...ids];
    for (const id of ids) {
      const previous = this.lastSeen.get(id);
      if (previous === second) continue;
      if (previous !== undefined && previous > second - this.width) {
        this.slotCounts[this.slotOf(previous)]! -= 1;
      } else {
        this.total += 1;
      }
      this.lastSeen.set(id, second);
      this.slotCounts[slot]! += 1;
    }
  }

  /** Distinct ids in [second - width + 1, second] after `advance(second)`. */
  get count(): number {
    return this.total;
  }

  /** Moves the window so that it ends at `second`, forgetting what falls out. */
  advance(second: number): void {
    if (second < this.current) throw new Error(`second ${second} is before ${this.current}`);
    const steps = Math.min(second - this.current, this.width);
    for (let step = steps - 1; step >= 0; step--) this.expire(second - step - this.width);
    this.current = second;
  }

  private expire(second: number): void {
    const slot = this.slotOf(second);
    this.total -= this.slotCounts[slot]!;
    this.slotCounts[slot] = 0;
    for (const id of this.slotIds[slot]!) {
      if (this.lastSeen.get(id) === second) this.lastSeen.delete(id);
    }
    this.slotIds[slot] = EMPTY;
  }

  private slotOf(second: number): number {
    return ((second % this.width) + this.width) % this.width;
  }
}
