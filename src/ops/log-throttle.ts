// At most one log line per key per interval, so a flood of bad input (a chat server sending
// thousands of malformed lines a second) is counted in full by metrics but logged as a trickle
// that still says how many lines it stands for.
export class LogThrottle {
  private readonly intervalMs: number;
  private readonly clock: () => number;
  private readonly lastLogged = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();

  constructor(intervalMs: number, clock: () => number = Date.now) {
    this.intervalMs = intervalMs;
    this.clock = clock;
  }

  /**
   * Whether to log an occurrence of `key` now. When it says yes, `suppressed` is how many
   * occurrences since the previous logged one were not logged.
   */
  admit(key: string): { log: true; suppressed: number } | { log: false } {
    const now = this.clock();
    const last = this.lastLogged.get(key);
    if (last !== undefined && now - last < this.intervalMs) {
      this.suppressed.set(key, (this.suppressed.get(key) ?? 0) + 1);
      return { log: false };
    }
    const suppressed = this.suppressed.get(key) ?? 0;
    this.lastLogged.set(key, now);
    this.suppressed.delete(key);
    return { log: true, suppressed };
  }
}
