// Drops a chat message or notice seen before, by Twitch's message id. Duplicates happen when a
// channel is read on two connections for a moment (a reconnect that overlaps, a channel moved
// between connections) or when Twitch replays a line. Bounded: the ids of the last `capacity`
// messages are kept, which covers far more than any overlap lasts.

export const DEFAULT_DEDUP_CAPACITY = 50_000;

export class MessageDedup {
  private readonly capacity: number;
  // A Set iterates in insertion order: the first entry is always the oldest id.
  private readonly ids = new Set<string>();

  constructor(capacity = DEFAULT_DEDUP_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`dedup capacity must be a whole number >= 1, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  /** True the first time an id is offered, false for a repeat (still within the last `capacity`). */
  firstTime(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.ids.size;
  }
}
