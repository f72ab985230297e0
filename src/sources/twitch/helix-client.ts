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

/** The user token file as Helix calls need it (UserTokenFile): the token, and a refresh on 401. */
export interface UserTokenSource {
  current(): Promise<{ accessToken: string }>;
  refresh(rejected: string): Promise<unknown>;
}

/** Whose token a request carries: the app's (client credentials) or the user's (token file). */
export type HelixAuth = 'app' | 'user';

export interface HelixRequestOptions {
  /** Default GET. */
  method?: 'GET' | 'POST';
  /** Default 'app'; 'user' needs `userToken` in the client's options. */
  auth?: HelixAuth;
  /**
   * Retry transient failures (429, 5xx, network, timeouts) inside the call. Default true. A
   * request whose effect must not be repeated blindly (Create Clip: a timed-out call may have
   * made the clip) passes false and decides itself; a 401 is still answered by one renewal,
   * because Twitch did nothing with a request it did not authenticate.
   */
  retry?: boolean;
  signal?: AbortSignal;
}

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
  /** The user token, for requests made as the user (Create Clip). */
  userToken?: UserTokenSource;
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

type Attempt = { value: unknown } | { error: HelixError; token?: string };

/** A token Helix accepts, renewed when Helix rejects it; each token has its own points bucket. */
interface Credential {
  token(signal?: AbortSignal): Promise<string>;
  renew(rejected: string): Promise<void>;
  readonly budget: RateLimitBudget;
}

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
  private readonly credentials: Record<HelixAuth, Credential | undefined>;

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
    const maxWaitMs = options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
    const appToken = new AppToken({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      authBaseUrl: options.authBaseUrl ?? DEFAULT_AUTH_BASE_URL,
      clock: this.clock,
      fetch: this.fetch,
      timeoutMs: this.requestTimeoutMs,
      metrics: this.metrics,
    });
    const userToken = options.userToken;
    this.credentials = {
      app: {
        token: (signal) => appToken.get(signal),
        renew: async (rejected) => appToken.invalidate(rejected),
        budget: new RateLimitBudget(maxWaitMs),
      },
      user:
        userToken === undefined
          ? undefined
          : {
              token: async () => (await userToken.current()).accessToken,
              renew: async (rejected) => {
                await userToken.refresh(rejected);
              },
              budget: new RateLimitBudget(maxWaitMs),
            },
    };
  }

  get(endpoint: string, query: HelixQuery, signal?: AbortSignal): Promise<unknown> {
    return this.request(endpoint, query, { signal });
  }

  /** One Helix call and its parsed JSON body. Throws HelixError. */
  async request(
    endpoint: string,
    query: HelixQuery,
    options: HelixRequestOptions = {},
  ): Promise<unknown> {
    const { method = 'GET', auth = 'app', retry = true, signal } = options;
    const credential = this.credentials[auth];
    if (credential === undefined) throw new Error(`Helix ${endpoint}: no ${auth} token configured`);
    const call: Call = { method, endpoint, url: this.url(endpoint, query), credential, signal };
    let failures = 0;
    let renewedToken = false;
    for (;;) {
      const attempt = await this.attempt(call);
      if ('value' in attempt) return attempt.value;
      const { error, token } = attempt;
      // A token can be revoked or expire early; a fresh one fixes that, so the renewal retry is
      // free. A second 401 means the credentials themselves are wrong.
      if (error.status === '401' && !renewedToken && token !== undefined) {
        renewedToken = true;
        this.logger.info(
          { endpoint, auth },
          `Twitch rejected the ${auth} token (401); renewing it once`,
        );
        await credential.renew(token);
        continue;
      }
      failures += 1;
      if (!retry || !error.transient || failures >= this.maxAttempts) throw error;
      const delayMs = error.retryAfterMs ?? backoffDelay(failures, this.backoff, this.random);
      this.logger.warn(
        { endpoint: error.endpoint, status: error.status, attempt: failures, retryInMs: delayMs },
        'Twitch API call failed; retrying',
      );
      await this.sleep(delayMs, signal);
      signal?.throwIfAborted();
      if (error.retryAfterMs !== undefined) credential.budget.refilled();
    }
  }

  private async attempt(call: Call): Promise<Attempt> {
    const { method, endpoint, credential, signal } = call;
    await this.waitForBudget(credential.budget, signal);
    let token: string;
    try {
      token = await credential.token(signal);
    } catch (error) {
      // Already counted under the token endpoint; retried like any failed attempt if transient.
      if (error instanceof HelixError) return { error };
      throw error;
    }
    const stopTimer = this.metrics.apiLatency.startTimer({ endpoint, method });
    const outcome = await exchange(
      this.fetch,
      call.url,
      { method, headers: { 'Client-Id': this.clientId, Authorization: `Bearer ${token}` } },
      this.requestTimeoutMs,
      signal,
    );
    stopTimer();
    if (!outcome.answered) {
      const message = `no answer from Twitch to ${method} ${endpoint} (${outcome.status})`;
      return { error: this.failure(call, outcome.status, message, true, outcome.error) };
    }
    const { response, body } = outcome;
    credential.budget.observe(response.headers);
    if (response.ok) {
      try {
        return { value: JSON.parse(body) as unknown };
      } catch (error) {
        const message = `Twitch answered ${method} ${endpoint} with a body that is not JSON`;
        return { error: this.failure(call, 'bad-response', message, true, error) };
      }
    }
    const status = response.status;
    const said = twitchMessage(body);
    const message =
      status === 401
        ? `Twitch answered 401 to ${method} ${endpoint} even with a freshly issued token${said === '' ? '' : ` (${said})`}: check that the client id and secret belong together and the token has the scope`
        : `Twitch answered ${status} to ${method} ${endpoint}${said === '' ? '' : `: ${said}`}`;
    const retryAfterMs =
      status === 429
        ? credential.budget.waitAfterRejection(response.headers, this.clock())
        : undefined;
    const error = this.failure(call, `${status}`, message, isTransientStatus(status), undefined, {
      retryAfterMs,
      twitchMessage: said,
    });
    return { error, token };
  }

  /** Known-empty bucket: wait for its reset rather than spend a request on a certain 429. */
  private async waitForBudget(budget: RateLimitBudget, signal?: AbortSignal): Promise<void> {
    const waitMs = budget.waitBeforeRequest(this.clock());
    if (waitMs <= 0) return;
    this.logger.info({ waitMs }, 'Helix rate limit used up; waiting for the reset');
    await this.sleep(waitMs, signal);
    signal?.throwIfAborted();
    budget.refilled();
  }

  private failure(
    call: Call,
    status: HelixFailureStatus,
    message: string,
    transient: boolean,
    cause?: unknown,
    answer: { retryAfterMs?: number | undefined; twitchMessage?: string } = {},
  ): HelixError {
    const { endpoint, method } = call;
    this.metrics.apiErrors.inc({ endpoint, status });
    return new HelixError(message, { endpoint, method, status, transient, cause, ...answer });
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

interface Call {
  method: 'GET' | 'POST';
  endpoint: string;
  url: string;
  credential: Credential;
  signal: AbortSignal | undefined;
}
