// Helix's points bucket as the client sees it, from the Ratelimit-* headers of every answer:
// `Ratelimit-Remaining` points left and `Ratelimit-Reset`, the epoch second the bucket is full
// again. When it is known empty the client waits for the reset instead of spending a request on
// a certain 429. Waits are capped: a reset far in the future means a skewed clock or a bad
// header, and waiting an hour on it would silence discovery.

/** Twitch refills an app's bucket within a minute. */
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 60_000;

export class RateLimitBudget {
  private readonly maxWaitMs: number;
  private remaining: number | undefined;
  private resetAt: number | undefined;

  constructor(maxWaitMs = DEFAULT_MAX_RATE_LIMIT_WAIT_MS) {
    this.maxWaitMs = maxWaitMs;
  }

  /** Records what an answer (any status) said about the bucket; answers without headers change nothing. */
  observe(headers: Headers): void {
    const remaining = headerNumber(headers, 'ratelimit-remaining');
    const reset = headerNumber(headers, 'ratelimit-reset');
    if (remaining !== undefined) this.remaining = remaining;
    if (reset !== undefined) this.resetAt = reset * 1000;
  }

  /** How long to wait before the next request: non-zero only when the bucket is known empty. */
  waitBeforeRequest(now: number): number {
    if (this.remaining === undefined || this.remaining > 0 || this.resetAt === undefined) return 0;
    return this.cap(this.resetAt - now);
  }

  /** After waiting for the reset the bucket is full again, as far as anyone knows. */
  refilled(): void {
    this.remaining = undefined;
  }

  /**
   * The wait a 429 asks for, from its own Ratelimit-Reset; undefined when it gives none (or one
   * already past), so the caller falls back to back-off.
   */
  waitAfterRejection(headers: Headers, now: number): number | undefined {
    const reset = headerNumber(headers, 'ratelimit-reset');
    if (reset === undefined) return undefined;
    const wait = this.cap(reset * 1000 - now);
    return wait > 0 ? wait : undefined;
  }

  private cap(waitMs: number): number {
    return Math.min(this.maxWaitMs, Math.max(0, waitMs));
  }
}

function headerNumber(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}
