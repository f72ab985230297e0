// What a Twitch API call that finally failed tells its caller: which endpoint, what went wrong
// (an HTTP status, or no answer at all) and whether trying again later can help.

/** HTTP status as text, or why there was no usable answer. Also the metric's `status` label. */
export type HelixFailureStatus = `${number}` | 'network' | 'timeout' | 'bad-response';

export interface HelixErrorDetails {
  endpoint: string;
  status: HelixFailureStatus;
  /** True for failures that may pass on their own (5xx, 429, network, timeouts). */
  transient: boolean;
  cause?: unknown;
}

export class HelixError extends Error {
  readonly endpoint: string;
  readonly status: HelixFailureStatus;
  readonly transient: boolean;

  constructor(message: string, details: HelixErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'HelixError';
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.transient = details.transient;
  }
}

/** Statuses worth retrying: the request was fine, Twitch (or a proxy in front of it) was not. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
