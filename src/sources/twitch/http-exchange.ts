// One HTTP request and its whole body under one deadline. A Twitch edge that accepts the
// connection and then stalls must cost a timeout, not a poll loop stuck forever.

export type Fetch = typeof globalThis.fetch;

export type ExchangeOutcome =
  | { answered: true; response: Response; body: string }
  | { answered: false; status: 'network' | 'timeout'; error: unknown };

/**
 * Sends the request and reads the body. No answer (connection refused or reset, DNS, deadline)
 * is an outcome, not an exception, so callers can count and retry it; only the caller's own
 * `signal` aborting throws (its reason), because then nobody wants a retry.
 */
export async function exchange(
  fetchFn: Fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ExchangeOutcome> {
  signal?.throwIfAborted();
  const deadline = AbortSignal.timeout(timeoutMs);
  const combined = signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
  try {
    const response = await fetchFn(url, { ...init, signal: combined });
    const body = await response.text();
    return { answered: true, response, body };
  } catch (error) {
    signal?.throwIfAborted();
    return { answered: false, status: deadline.aborted ? 'timeout' : 'network', error };
  }
}

/** Twitch's error bodies carry a `message` (`{"error","status","message"}`); empty if not. */
export function twitchMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : '';
  } catch {
    return '';
  }
}
