// A set of 30-bit keys (see chatter-key.ts) that remembers the current generation and the
// previous one (see ChatFilter): one Int32Array cut in two halves of open addressing with linear
// probing, one half per generation. A new generation empties the older half and makes it the
// current one: a fill, where one table of tagged keys had to be swept slot by slot, moving
// entries back over each removed one (that sweep was ~5 % of the engine's time).
import {
  EMPTY,
  GROWTH,
  MAX_LOAD,
  MIN_CAPACITY,
  after,
  capacityFor,
  emptySlots,
  home,
} from './chatter-table.ts';

export class GenerationSet {
  /** The two halves, `capacity` slots each; a slot holding EMPTY is free. */
  private slots = emptySlots(2 * MIN_CAPACITY);
  private capacity = MIN_CAPACITY;
  /** Where the current generation's half starts: 0 or `capacity`. */
  private current = 0;
  private usedCurrent = 0;
  private usedPrevious = 0;

  get size(): number {
    return this.usedCurrent + this.usedPrevious;
  }

  /** Adds `key` to the current generation unless either generation has it: returns whether one did. */
  addIfAbsent(key: number): boolean {
    const { slots, capacity, current } = this;
    const start = home(key, capacity);
    const previous = capacity - current;
    for (let slot = start; ; slot = after(slot, capacity)) {
      const found = slots[previous + slot]!;
      if (found === key) return true;
      if (found === EMPTY) break;
    }
    for (let slot = start; ; slot = after(slot, capacity)) {
      const found = slots[current + slot]!;
      if (found === key) return true;
      if (found === EMPTY) {
        slots[current + slot] = key;
        this.usedCurrent += 1;
        if (this.usedCurrent > MAX_LOAD * capacity) this.resize(Math.ceil(capacity * GROWTH));
        return false;
      }
    }
  }

  /** Starts a new generation: the previous one is forgotten, the current one becomes previous. */
  nextGeneration(): void {
    const { capacity } = this;
    const older = capacity - this.current;
    this.slots.fill(EMPTY, older, older + capacity);
    this.current = older;
    this.usedPrevious = this.usedCurrent;
    this.usedCurrent = 0;
    // A generation usually needs about as much room as the last one; shrink only when the last
    // one would have fitted in two sizes less, so that a crowd's memory goes back without
    // shrinking and regrowing every generation.
    const fit = capacityFor(this.usedPrevious);
    if (fit * GROWTH < capacity) this.resize(fit);
  }

  /** Forgets both generations, keeping room for about as many keys as either had. */
  clear(): void {
    const fit = capacityFor(Math.max(this.usedCurrent, this.usedPrevious));
    if (fit === this.capacity) this.slots.fill(EMPTY);
    else this.slots = emptySlots(2 * fit);
    this.capacity = fit;
    this.current = 0;
    this.usedCurrent = 0;
    this.usedPrevious = 0;
  }

  /** Rehashes both halves into halves of `capacity` slots; the current one first. */
  private resize(capacity: number): void {
    const { slots: old, capacity: oldCapacity, current } = this;
    this.slots = emptySlots(2 * capacity);
    this.capacity = capacity;
    this.current = 0;
    copyHalf(old, current, oldCapacity, this.slots, 0, capacity);
    copyHalf(old, oldCapacity - current, oldCapacity, this.slots, capacity, capacity);
  }
}

/** Inserts the keys of the half at `from` in `source` into the empty half at `to` in `target`. */
function copyHalf(
  source: Int32Array,
  from: number,
  sourceCapacity: number,
  target: Int32Array,
  to: number,
  capacity: number,
): void {
  for (let i = from; i < from + sourceCapacity; i++) {
    const key = source[i]!;
    if (key === EMPTY) continue;
    let slot = home(key, capacity);
    while (target[to + slot] !== EMPTY) slot = after(slot, capacity);
    target[to + slot] = key;
  }
}
