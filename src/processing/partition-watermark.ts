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

  /**
   * Event time reached by every active partition; -Infinity before any event. Once every
   * partition has been idle for `idleMs`, event time goes on from the newest event at the pace
   * of the clock: when all chat has stopped (a small deployment whose streams ended), seconds
   * still close and open moments still end, rather than stay open until chat returns. A record
   * arriving after that is late only if it is later than the lateness behind the clock, as it
   * would be were chat flowing.
   */
  current(now: number): number {
    let slowestActive = Number.POSITIVE_INFINITY;
    let newest = Number.NEGATIVE_INFINITY;
    let lastDelivery = Number.NEGATIVE_INFINITY;
    for (const state of this.partitions.values()) {
      newest = Math.max(newest, state.newest);
      lastDelivery = Math.max(lastDelivery, state.deliveredAt);
      if (now - state.deliveredAt < this.idleMs)
        slowestActive = Math.min(slowestActive, state.newest);
    }
    if (slowestActive !== Number.POSITIVE_INFINITY) return slowestActive;
    // Every partition idle: everything has been read, and time has passed since.
    return newest === Number.NEGATIVE_INFINITY ? newest : newest + (now - lastDelivery);
  }
}
