// Paces JOINs under Twitch's limit (20 join attempts per 10 s for a normal account). A token
// bucket whose every token comes back exactly one window after it was spent: unlike a bucket
// that refills continuously, it never lets more than `joins` through in any window, which is
// how Twitch (and the fake) count. Pure: the caller passes the time.

export interface JoinRateLimit {
  joins: number;
  windowMs: number;
}

/**
 * 20 per 11 s: Twitch's 20 per 10 s plus a second for a JOIN's trip to the server, so a line
 * that waited in a socket buffer cannot land inside the previous window (twurple uses 11 s too).
 */
export const DEFAULT_JOIN_RATE_LIMIT: JoinRateLimit = { joins: 20, windowMs: 11_000 };

export class JoinPacer {
  private readonly limit: JoinRateLimit;
  /** When each spent token was spent, oldest first; at most `limit.joins` entries. */
  private readonly spentAt: number[] = [];

  constructor(limit: JoinRateLimit = DEFAULT_JOIN_RATE_LIMIT) {
    if (!Number.isInteger(limit.joins) || limit.joins < 1 || !(limit.windowMs > 0)) {
      throw new RangeError(
        `join rate limit must be >= 1 join per > 0 ms, got ${JSON.stringify(limit)}`,
      );
    }
    this.limit = limit;
  }

  /** Spends a token and returns 0, or returns how long until one comes back (nothing spent). */
  take(now: number): number {
    while (this.spentAt.length > 0 && (this.spentAt[0] ?? 0) + this.limit.windowMs <= now) {
      this.spentAt.shift();
    }
    if (this.spentAt.length < this.limit.joins) {
      this.spentAt.push(now);
      return 0;
    }
    return (this.spentAt[0] ?? now) + this.limit.windowMs - now;
  }
}
