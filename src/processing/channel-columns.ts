// Fixed-size state that every active channel has (rings, counters, baselines), as columns shared
// by all channels and indexed by a channel's slot: a struct of arrays. Per channel, small typed
// arrays cost a header of ~200 bytes besides their data, and objects with floating-point fields
// box every double; here a channel costs only its numbers. A forgotten channel's slot is reused.

/** Growth factor: not doubling, unused slots are waste (see PendingChat). */
const GROWTH = 1.5;
const INITIAL_SLOTS = 16;

export class ChannelColumns {
  /** Integers per slot: slot `s` owns `ints[s * intsPerSlot, (s + 1) * intsPerSlot)`. */
  readonly intsPerSlot: number;
  /** Doubles per slot, in `floats` likewise. */
  readonly floatsPerSlot: number;
  /** Replaced when the columns grow: read it again after `allocate`, never keep it. */
  ints: Int32Array;
  floats: Float64Array;
  private capacity: number;
  /** Slots below this were handed out at least once. */
  private used = 0;
  private readonly free: number[] = [];

  constructor(intsPerSlot: number, floatsPerSlot: number, initialSlots = INITIAL_SLOTS) {
    this.intsPerSlot = intsPerSlot;
    this.floatsPerSlot = floatsPerSlot;
    this.capacity = initialSlots;
    this.ints = new Int32Array(initialSlots * intsPerSlot);
    this.floats = new Float64Array(initialSlots * floatsPerSlot);
  }

  /** Slots in use. */
  get size(): number {
    return this.used - this.free.length;
  }

  /** A slot whose integers and doubles are all zero. */
  allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) {
      this.ints.fill(0, reused * this.intsPerSlot, (reused + 1) * this.intsPerSlot);
      this.floats.fill(0, reused * this.floatsPerSlot, (reused + 1) * this.floatsPerSlot);
      return reused;
    }
    if (this.used === this.capacity) this.grow();
    return this.used++;
  }

  /** Gives `slot` back; its owner must not read or write it any more. */
  release(slot: number): void {
    this.free.push(slot);
  }

  private grow(): void {
    this.capacity = Math.ceil(this.capacity * GROWTH);
    const ints = new Int32Array(this.capacity * this.intsPerSlot);
    ints.set(this.ints);
    this.ints = ints;
    const floats = new Float64Array(this.capacity * this.floatsPerSlot);
    floats.set(this.floats);
    this.floats = floats;
  }
}
