// Jittered exponential back-off for retrying Twitch calls. "Equal jitter": half the delay is
// fixed so a retry never fires immediately, half is random so many clients that failed together
// (one Twitch outage) do not retry together.

export interface BackoffPolicy {
  /** Delay before the first retry, before jitter. */
  initialMs: number;
  /** Upper bound of any delay: the exponential growth stops here. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000 };

/**
 * Delay before retry number `retry` (1 = the first retry), in [base / 2, base) where base is
 * `initialMs * 2^(retry - 1)` capped at `maxMs`. `random` returns values in [0, 1).
 */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.max(0, retry - 1);
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
  return Math.round(base / 2 + random() * (base / 2));
}
