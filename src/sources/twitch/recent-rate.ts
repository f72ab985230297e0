// Events per second over a trailing window (chat_message_rate), kept as one counter per second
// so that recording is O(1) and memory is fixed, whatever the chat volume. Pure: the caller
// passes the time.

export class RecentRate {
  private readonly seconds: number;
  /** counts[i] holds the events of the epoch second stamped in stamps[i] (ring buffer). */
  private readonly counts: number[];
  private readonly stamps: number[];

  constructor(windowMs = 10_000) {
    this.seconds = Math.max(1, Math.round(windowMs / 1000));
    this.counts = new Array<number>(this.seconds).fill(0);
    this.stamps = new Array<number>(this.seconds).fill(-1);
  }

  record(now: number, n = 1): void {
    const second = Math.floor(now / 1000);
    const slot = second % this.seconds;
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot] = (this.counts[slot] ?? 0) + n;
  }

  /** Events per second over the window that ends with the current second. */
  perSecond(now: number): number {
    const current = Math.floor(now / 1000);
    let total = 0;
    for (let slot = 0; slot < this.seconds; slot++) {
      const stamp = this.stamps[slot] ?? -1;
      if (stamp > current - this.seconds && stamp <= current) total += this.counts[slot] ?? 0;
    }
    return total / this.seconds;
  }
}
