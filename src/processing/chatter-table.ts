// Maps of 30-bit keys (chatter keys and other hashes, see chatter-key.ts), in one Int32Array:
// open addressing with linear probing, keys and values side by side; the probing, sizing and
// growth here are also those of the repeat filter's sets (generation-set.ts). Every active
// channel holds a few of these; a V8 `Map` or `Set` costs about 1 KB even for a handful of
// entries, this costs 4 bytes per key or value slot (a plain array costs 8 in Node). No library
// offers integer tables this small (mnemonist and friends either fix the capacity or wrap `Map`).

export const EMPTY = -1;
/** Keys are 30-bit hashes. */
const KEY_BITS = 0x3fffffff;
export const MIN_CAPACITY = 8;
/** Above this share of slots in use, probing gets long: the table grows. */
export const MAX_LOAD = 0.7;
/**
 * Growth factor. Not doubling: these tables are most of an idle channel's memory, and a table
 * just past a doubling is two-thirds empty; any capacity works (see `home`).
 */
const GROWTH = 1.5;
/**
 * Tables of this many slots or more double instead: only busy channels have them, few, and a
 * table growing by half step by step to thousands of slots rehashed its keys every few seconds.
 */
const DOUBLING_FROM = 1024;

/** The capacity a table of `capacity` slots grows to. */
export function grownCapacity(capacity: number): number {
  return capacity < DOUBLING_FROM ? Math.ceil(capacity * GROWTH) : capacity * 2;
}

class KeyTable {
  /** Key, then `stride - 1` values, per slot; a slot whose key is EMPTY is free. */
  protected slots: Int32Array;
  protected capacity: number;
  private readonly stride: number;
  private used = 0;

  protected constructor(stride: number) {
    this.stride = stride;
    this.slots = emptySlots(MIN_CAPACITY * stride);
    this.capacity = MIN_CAPACITY;
  }

  get size(): number {
    return this.used;
  }

  /** Whether one more key would make the table grow. */
  get full(): boolean {
    return this.used + 1 > MAX_LOAD * this.capacity;
  }

  /** Index in `slots` of `key`, or of the free slot where it would go. */
  protected find(key: number): number {
    const { slots, stride, capacity } = this;
    for (let slot = home(key, capacity); ; slot = after(slot, capacity)) {
      const found = slots[slot * stride]!;
      if (found === key || found === EMPTY) return slot * stride;
    }
  }

  /** Puts `key` in the free slot at `index` (from `find`); returns where it ended up. */
  protected insert(index: number, key: number): number {
    this.slots[index] = key;
    this.used += 1;
    if (this.used <= MAX_LOAD * this.capacity) return index;
    this.resize(grownCapacity(this.capacity));
    return this.find(key);
  }

  /** Removes `key` if present, moving later entries of its probe run back (no tombstones). */
  delete(key: number): void {
    const index = this.find(key);
    if (this.slots[index] === EMPTY) return;
    this.removeAt(index / this.stride);
    // A table that once held a crowd gives the memory back when the crowd has gone.
    if (this.capacity > MIN_CAPACITY && this.used < this.capacity / 8) {
      this.resize(Math.max(MIN_CAPACITY, Math.floor(this.capacity / 2)));
    }
  }

  /**
   * Empties slot `hole` (in use), moving later entries of its probe run back into it: probing
   * never meets a gap before its key.
   */
  protected removeAt(hole: number): void {
    const { slots, stride, capacity } = this;
    for (
      let slot = after(hole, capacity);
      slots[slot * stride] !== EMPTY;
      slot = after(slot, capacity)
    ) {
      // An entry may fill the hole only if its home is not between the hole and itself.
      const distance = ahead(home(slots[slot * stride]!, capacity), slot, capacity);
      if (distance < ahead(hole, slot, capacity)) continue;
      for (let field = 0; field < stride; field++) {
        slots[hole * stride + field] = slots[slot * stride + field]!;
      }
      hole = slot;
    }
    slots[hole * stride] = EMPTY;
    this.used -= 1;
  }

  /** `count` entries were removed by a sweep of the subclass's own. */
  protected forgot(count: number): void {
    this.used -= count;
  }

  /** Empties the table, keeping a capacity fit for about as many entries as it had. */
  clear(): void {
    this.reset(this.used);
  }

  /**
   * Empties the table, keeping its capacity: for a scratch table filled to different sizes in
   * turn, which `clear` would shrink to the last one and then grow again step by step.
   */
  empty(): void {
    this.slots.fill(EMPTY);
    this.used = 0;
  }

  /**
   * Where an in-place sweep starts: the slot after a free one (the load limit leaves some). No
   * probe run wraps past it, so an entry a sweep moves back lands where it has already looked.
   */
  protected sweepStart(): number {
    const { slots, stride } = this;
    let start = 0;
    while (slots[start * stride] !== EMPTY) start += 1;
    return after(start, this.capacity);
  }

  /**
   * After a sweep of a table that held `before` entries. A table swept now and then refills to
   * about its old size: it keeps room for as many entries as it had unless it became sparse,
   * or it would shrink only to grow again.
   */
  protected swept(before: number): void {
    const { capacity, used } = this;
    const fit = capacityFor(used < capacity / 8 ? used : before);
    if (fit !== capacity) this.resize(fit);
  }

  /** Empties the table, with room for `entries` entries. */
  private reset(entries: number): void {
    const capacity = capacityFor(entries);
    if (capacity === this.capacity) this.slots.fill(EMPTY);
    else this.slots = emptySlots(capacity * this.stride);
    this.capacity = capacity;
    this.used = 0;
  }

  private resize(capacity: number): void {
    const { slots: old, stride } = this;
    this.slots = emptySlots(capacity * stride);
    this.capacity = capacity;
    this.used = 0;
    for (let i = 0; i < old.length; i += stride) {
      if (old[i] === EMPTY) continue;
      const index = this.insert(this.find(old[i]!), old[i]!);
      for (let field = 1; field < stride; field++) this.slots[index + field] = old[i + field]!;
    }
  }
}

/** A map from 30-bit keys to non-negative small integers. */
export class ChatterTable extends KeyTable {
  constructor() {
    super(2);
  }

  /** The value stored for `key`, or -1. */
  get(key: number): number {
    const index = this.find(key);
    return this.slots[index] === EMPTY ? EMPTY : this.slots[index + 1]!;
  }

  /** Stores `value` (>= 0) for `key`. */
  set(key: number, value: number): void {
    this.put(key, value);
  }

  /** Stores `value` (>= 0) for `key`; returns the value it had, or -1. One probe, not two. */
  put(key: number, value: number): number {
    let index = this.find(key);
    const previous = this.slots[index] === EMPTY ? EMPTY : this.slots[index + 1]!;
    if (previous === EMPTY) index = this.insert(index, key);
    this.slots[index + 1] = value;
    return previous;
  }

  /**
   * Drops, in place, the keys whose value is `oldest` or less, in one pass: once a probe run has
   * a hole, each later entry of the run is put back at the first free slot from its home. (Moving
   * entries back over each removed key in turn looked at the rest of the run once per removal,
   * and a sweep removes a third of the table or more.)
   */
  retainAbove(oldest: number): void {
    const { slots, capacity } = this;
    const before = this.size;
    let removed = 0;
    let holed = false;
    let slot = this.sweepStart();
    for (let visited = 0; visited < capacity; visited++, slot = after(slot, capacity)) {
      const key = slots[slot * 2]!;
      if (key === EMPTY) {
        // The end of a run: entries past it have their homes past it.
        holed = false;
        continue;
      }
      if (slots[slot * 2 + 1]! <= oldest) {
        slots[slot * 2] = EMPTY;
        removed += 1;
        holed = true;
        continue;
      }
      if (!holed) continue;
      slots[slot * 2] = EMPTY;
      let to = home(key, capacity);
      while (slots[to * 2] !== EMPTY) to = after(to, capacity);
      slots[to * 2] = key;
      slots[to * 2 + 1] = slots[slot * 2 + 1]!;
    }
    this.forgot(removed);
    this.swept(before);
  }
}

/** The smallest capacity of the growth sequence that holds `entries` entries. */
export function capacityFor(entries: number): number {
  let capacity = MIN_CAPACITY;
  while (entries > MAX_LOAD * capacity) capacity = grownCapacity(capacity);
  return capacity;
}

/**
 * The slot where probing for `key` starts. Keys are hashes already; the multiply spreads their low
 * bits, and the top 24 of its 32 scale to any capacity (exactly: the product stays below 2^53).
 */
export function home(key: number, capacity: number): number {
  return (((Math.imul(key & KEY_BITS, 0x9e3779b1) >>> 8) * capacity) / 0x1000000) | 0;
}

/** The next slot, wrapping around. */
export function after(slot: number, capacity: number): number {
  return slot + 1 === capacity ? 0 : slot + 1;
}

/** How many slots `to` is past `from`, wrapping around. */
function ahead(from: number, to: number, capacity: number): number {
  return to >= from ? to - from : to - from + capacity;
}

export function emptySlots(length: number): Int32Array {
  return new Int32Array(length).fill(EMPTY);
}
