// What a Twitch API call that finally failed tells its caller: which endpoint, what went wrong
// (an HTTP status, or no answer at all) and whether trying again later can help.

/** HTTP status as text, or why there was no usable answer. Also the metric's `status` label. */
export type HelixFailureStatus = `${number}` | 'network' | 'timeout' | 'bad-response';

export interface HelixErrorDetails {
  endpoint: string;
  /** Default GET. */
  method?: 'GET' | 'POST';
  status: HelixFailureStatus;
  /** True for failures that may pass on their own (5xx, 429, network, timeouts). */
  transient: boolean;
  cause?: unknown;
  /** A 429's wait until its Ratelimit-Reset, when it gave one. */
  retryAfterMs?: number | undefined;
  /** The `message` of Twitch's error body ('' when none). */
  twitchMessage?: string;
}

export class HelixError extends Error {
  readonly endpoint: string;
  readonly status: HelixFailureStatus;
  readonly transient: boolean;
  readonly method: 'GET' | 'POST';
  readonly retryAfterMs: number | undefined;
  readonly twitchMessage: string;

  constructor(message: string, details: HelixErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'HelixError';
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.transient = details.transient;
    this.method = details.method ?? 'GET';
    this.retryAfterMs = details.retryAfterMs;
    this.twitchMessage = details.twitchMessage ?? '';
  }
}

/** Statuses worth retrying: the request was fine, Twitch (or a proxy in front of it) was not. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
