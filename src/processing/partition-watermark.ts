// Event time that every active partition has reached. A consumer reads partitions at different
// speeds: advancing quiet channels with the newest time of the fastest partition would make
// the slower partitions' events late. Like Flink, take the minimum over partitions, and, like
// Flink's `withIdleness`, leave out partitions that delivered nothing for `idleMs` of
// processing time: a partition with unread records delivers in every poll, so lag never
// looks idle, while a partition with no traffic at all cannot hold everything back.
export class PartitionWatermark {
  private readonly partitions = new Map<string, { newest: number; deliveredAt: number }>();
  private readonly idleMs: number;

  constructor(idleMs = 10_000) {
    this.idleMs = idleMs;
  }

  /** `ts`: the event's time; `now`: processing time (the wall clock, injected). */
  observe(partition: string, ts: number, now: number): void {
    const state = this.partitions.get(partition);
    if (!state) this.partitions.set(partition, { newest: ts, deliveredAt: now });
    else {
      state.newest = Math.max(state.newest, ts);
      state.deliveredAt = now;
    }
  }

  forget(partition: string): void {
    this.partitions.delete(partition);
  }

  /** Event time reached by every active partition; -Infinity before any event. */
  current(now: number): number {
    let slowestActive = Number.POSITIVE_INFINITY;
    let newest = Number.NEGATIVE_INFINITY;
    for (const state of this.partitions.values()) {
      newest = Math.max(newest, state.newest);
      if (now - state.deliveredAt < this.idleMs)
        slowestActive = Math.min(slowestActive, state.newest);
    }
    // Every partition idle: everything has been read, so the newest time is safe.
    return slowestActive === Number.POSITIVE_INFINITY ? newest : slowestActive;
  }
}
