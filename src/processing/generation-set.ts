// A set of 30-bit keys (see chatter-key.ts) that remembers the current generation and the
// previous one (see ChatFilter): open addressing with linear probing, two tables of the same
// capacity interleaved in one Int32Array (slot s of the generation with parity p at 2 * s + p),
// one per generation. A new generation empties the older one and makes it the current one: one
// strided fill, where a single table of keys tagged with their generation had to be swept slot
// by slot, moving entries back over each removed one (that sweep was ~5 % of the engine's
// time). Interleaved, both generations' probes for a key read the same cache lines.
import {
  EMPTY,
  grownCapacity,
  MAX_LOAD,
  MIN_CAPACITY,
  after,
  capacityFor,
  emptySlots,
  home,
} from './chatter-table.ts';

export class GenerationSet {
  /** Both generations' slots, interleaved; a slot holding EMPTY is free. */
  private slots = emptySlots(2 * MIN_CAPACITY);
  /** Slots per generation. */
  private capacity = MIN_CAPACITY;
  /** Which of the interleaved tables is the current generation's: 0 or 1. */
  private current = 0;
  private usedCurrent = 0;
  private usedPrevious = 0;

  get size(): number {
    return this.usedCurrent + this.usedPrevious;
  }

  /** Adds `key` to the current generation unless either generation has it: returns whether one did. */
  addIfAbsent(key: number): boolean {
    const { slots, capacity, current } = this;
    const previous = 1 - current;
    let previousEnded = false;
    for (let slot = home(key, capacity); ; slot = after(slot, capacity)) {
      if (!previousEnded) {
        const found = slots[2 * slot + previous]!;
        if (found === key) return true;
        previousEnded = found === EMPTY;
      }
      const found = slots[2 * slot + current]!;
      if (found === key) return true;
      if (found === EMPTY) {
        // The current generation does not have it; the previous one's run may go on.
        if (!previousEnded && this.previousHas(key, after(slot, capacity))) return true;
        slots[2 * slot + current] = key;
        this.usedCurrent += 1;
        if (this.usedCurrent > MAX_LOAD * capacity) this.resize(grownCapacity(capacity));
        return false;
      }
    }
  }

  /** Starts a new generation: the previous one is forgotten, the current one becomes previous. */
  nextGeneration(): void {
    const { slots } = this;
    const older = 1 - this.current;
    for (let i = older; i < slots.length; i += 2) slots[i] = EMPTY;
    this.current = older;
    this.usedPrevious = this.usedCurrent;
    this.usedCurrent = 0;
    // A generation usually needs about as much room as the last one: shrink only when the last
    // one would fit in two sizes less, so that a crowd's memory goes back without shrinking and
    // regrowing every generation.
    const fit = capacityFor(this.usedPrevious);
    if (grownCapacity(grownCapacity(fit)) < this.capacity) this.resize(fit);
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

  /** Whether the previous generation has `key`, probing on from `slot`. */
  private previousHas(key: number, slot: number): boolean {
    const { slots, capacity } = this;
    const previous = 1 - this.current;
    for (; ; slot = after(slot, capacity)) {
      const found = slots[2 * slot + previous]!;
      if (found === key) return true;
      if (found === EMPTY) return false;
    }
  }

  /** Rehashes both generations into tables of `capacity` slots. */
  private resize(capacity: number): void {
    const { slots: old } = this;
    this.slots = emptySlots(2 * capacity);
    this.capacity = capacity;
    for (let i = 0; i < old.length; i++) {
      const key = old[i]!;
      if (key === EMPTY) continue;
      // Each key stays in its generation's table (parity of its index).
      const parity = i & 1;
      let slot = home(key, capacity);
      while (this.slots[2 * slot + parity] !== EMPTY) slot = after(slot, capacity);
      this.slots[2 * slot + parity] = key;
    }
  }
}
