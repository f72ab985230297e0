// A small Helix client on the global fetch: the app token by client credentials, Client-Id and
// Bearer headers, the Ratelimit-* bucket respected, transient failures retried with jittered
// back-off, and one token renewal on 401. Time comes from an injected clock and sleep, so tests
// run a 60 s rate-limit wait in no time.
//
// Why not @twurple/api: its base addresses are fixed (api.twitch.tv, id.twitch.tv) unless the
// process-wide TWURPLE_MOCK_API_PORT points every twurple client at http://localhost:<port>
// with its own path prefixes, so TWITCH_API_BASE_URL / TWITCH_AUTH_BASE_URL cannot be honoured;
// and its rate limiter and retries run on real timers, so the waits could not be tested.
import { silentLogger, type Logger } from '../../ops/logger.ts';
import { sleep as realSleep } from '../../ops/sleep.ts';
import { AppToken, trimSlash } from './app-token.ts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import { HelixError, isTransientStatus, type HelixFailureStatus } from './helix-error.ts';
import { exchange, twitchMessage, type Fetch } from './http-exchange.ts';
import { DEFAULT_MAX_RATE_LIMIT_WAIT_MS, RateLimitBudget } from './rate-limit.ts';
import { TwitchMetrics } from './twitch-metrics.ts';

export const DEFAULT_API_BASE_URL = 'https://api.twitch.tv/helix';
export const DEFAULT_AUTH_BASE_URL = 'https://id.twitch.tv/oauth2';

/** Waits `ms`, or less when `signal` aborts (then resolves; the caller checks the signal). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface HelixClientOptions {
  /** The app's client id (TWITCH_CLIENT_ID). */
  clientId: string;
  /** The app's client secret (TWITCH_CLIENT_SECRET). Never logged. */
  clientSecret: string;
  /** Helix base address (TWITCH_API_BASE_URL). Default https://api.twitch.tv/helix. */
  apiBaseUrl?: string;
  /** OAuth base address (TWITCH_AUTH_BASE_URL). Default https://id.twitch.tv/oauth2. */
  authBaseUrl?: string;
  /** Epoch ms; compared with Ratelimit-Reset and token lifetimes. Default Date.now. */
  clock?: () => number;
  /** Rate-limit waits and back-off. Default: real timers. */
  sleep?: Sleep;
  /** Jitter source, values in [0, 1). Default Math.random. */
  random?: () => number;
  /** Default globalThis.fetch. */
  fetch?: Fetch;
  /** Deadline of one request, body included. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** Tries per call, the first included, for 429, 5xx, network errors and timeouts. Default 5. */
  maxAttempts?: number;
  /** Back-off between tries. Default 500 ms doubling, capped at 30 s, with jitter. */
  backoff?: BackoffPolicy;
  /** Longest wait for a rate-limit reset. Default 60 000 ms (Twitch refills within a minute). */
  maxRateLimitWaitMs?: number;
  /** Where `twitch_api_errors_total` is counted. Default: a private registry. */
  metrics?: TwitchMetrics;
  logger?: Logger;
}

export type HelixQueryValue = string | number | readonly string[] | undefined;
/** Query parameters; an array repeats the parameter (`user_login=a&user_login=b`). */
export type HelixQuery = Readonly<Record<string, HelixQueryValue>>;

/**
 * What callers of Helix need: one GET. Narrow on purpose, so paging can also be tested on
 * answers no well-behaved server gives (a repeated cursor, a body without `data`).
 */
export interface HelixGetter {
  /** GET `endpoint` (e.g. `streams`) and its parsed JSON body. Throws HelixError. */
  get(endpoint: string, query: HelixQuery, signal?: AbortSignal): Promise<unknown>;
}

type Attempt =
  { value: unknown } | { error: HelixError; token?: string; rateLimitWaitMs?: number | undefined };

export class HelixClient implements HelixGetter {
  private readonly clientId: string;
  private readonly apiBaseUrl: string;
  private readonly clock: () => number;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly fetch: Fetch;
  private readonly requestTimeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly metrics: TwitchMetrics;
  private readonly logger: Logger;
  private readonly appToken: AppToken;
  private readonly budget: RateLimitBudget;

  constructor(options: HelixClientOptions) {
    if (options.clientId === '' || options.clientSecret === '') {
      throw new Error('Helix needs both a client id and a client secret');
    }
    this.clientId = options.clientId;
    this.apiBaseUrl = trimSlash(options.apiBaseUrl ?? DEFAULT_API_BASE_URL);
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    // Looked up at call time by default, so a test's or an APM's replacement of fetch applies.
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.metrics = options.metrics ?? new TwitchMetrics();
    this.logger = options.logger ?? silentLogger;
    this.budget = new RateLimitBudget(options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS);
    this.appToken = new AppToken({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      authBaseUrl: options.authBaseUrl ?? DEFAULT_AUTH_BASE_URL,
      clock: this.clock,
      fetch: this.fetch,
      timeoutMs: this.requestTimeoutMs,
      metrics: this.metrics,
    });
  }

  async get(endpoint: string, query: HelixQuery, signal?: AbortSignal): Promise<unknown> {
    const url = this.url(endpoint, query);
    let failures = 0;
    let renewedToken = false;
    for (;;) {
      const attempt = await this.attempt(endpoint, url, signal);
      if ('value' in attempt) return attempt.value;
      const { error, token } = attempt;
      // An app token can be revoked or expire early; a fresh one fixes that, so the renewal
      // retry is free. A second 401 means the credentials themselves are wrong.
      if (error.status === '401' && !renewedToken && token !== undefined) {
        renewedToken = true;
        this.appToken.invalidate(token);
        this.logger.info({ endpoint }, 'Twitch rejected the app token (401); renewing it once');
        continue;
      }
      failures += 1;
      if (!error.transient || failures >= this.maxAttempts) throw error;
      const delayMs = attempt.rateLimitWaitMs ?? backoffDelay(failures, this.backoff, this.random);
      this.logger.warn(
        { endpoint: error.endpoint, status: error.status, attempt: failures, retryInMs: delayMs },
        'Twitch API call failed; retrying',
      );
      await this.sleep(delayMs, signal);
      signal?.throwIfAborted();
      if (attempt.rateLimitWaitMs !== undefined) this.budget.refilled();
    }
  }

  private async attempt(endpoint: string, url: string, signal?: AbortSignal): Promise<Attempt> {
    await this.waitForBudget(signal);
    let token: string;
    try {
      token = await this.appToken.get(signal);
    } catch (error) {
      // Already counted under the token endpoint; retried like any failed attempt if transient.
      if (error instanceof HelixError) return { error };
      throw error;
    }
    const outcome = await exchange(
      this.fetch,
      url,
      { headers: { 'Client-Id': this.clientId, Authorization: `Bearer ${token}` } },
      this.requestTimeoutMs,
      signal,
    );
    if (!outcome.answered) {
      const message = `no answer from Twitch to GET ${endpoint} (${outcome.status})`;
      return { error: this.failure(endpoint, outcome.status, message, true, outcome.error) };
    }
    const { response, body } = outcome;
    this.budget.observe(response.headers);
    if (response.ok) {
      try {
        return { value: JSON.parse(body) as unknown };
      } catch (error) {
        const message = `Twitch answered GET ${endpoint} with a body that is not JSON`;
        return { error: this.failure(endpoint, 'bad-response', message, true, error) };
      }
    }
    const status = response.status;
    const said = twitchMessage(body);
    const message =
      status === 401
        ? `Twitch answered 401 to GET ${endpoint} even with a freshly issued app token${said === '' ? '' : ` (${said})`}: check that the client id and secret belong together`
        : `Twitch answered ${status} to GET ${endpoint}${said === '' ? '' : `: ${said}`}`;
    const error = this.failure(endpoint, `${status}`, message, isTransientStatus(status));
    if (status === 429) {
      return {
        error,
        rateLimitWaitMs: this.budget.waitAfterRejection(response.headers, this.clock()),
      };
    }
    return { error, token };
  }

  /** Known-empty bucket: wait for its reset rather than spend a request on a certain 429. */
  private async waitForBudget(signal?: AbortSignal): Promise<void> {
    const waitMs = this.budget.waitBeforeRequest(this.clock());
    if (waitMs <= 0) return;
    this.logger.info({ waitMs }, 'Helix rate limit used up; waiting for the reset');
    await this.sleep(waitMs, signal);
    signal?.throwIfAborted();
    this.budget.refilled();
  }

  private failure(
    endpoint: string,
    status: HelixFailureStatus,
    message: string,
    transient: boolean,
    cause?: unknown,
  ): HelixError {
    this.metrics.apiErrors.inc({ endpoint, status });
    return new HelixError(message, { endpoint, status, transient, cause });
  }

  private url(endpoint: string, query: HelixQuery): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (typeof value === 'string' || typeof value === 'number')
        params.append(name, String(value));
      else for (const item of value) params.append(name, item);
    }
    const search = params.toString();
    return `${this.apiBaseUrl}/${endpoint.replace(/^\/+/, '')}${search === '' ? '' : `?${search}`}`;
  }
}
