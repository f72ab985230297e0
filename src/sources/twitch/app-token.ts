// The app access token for Helix, by OAuth client credentials. Fetched on first use, reused until
// shortly before Twitch says it expires, and dropped when Helix rejects it (401) so the next call
// fetches a new one. The token and the client secret never leave this object except in the
// request that needs them: nothing here logs, and errors carry only Twitch's message.
import { HelixError, isTransientStatus, type HelixFailureStatus } from './helix-error.ts';
import { exchange, twitchMessage, type Fetch } from './http-exchange.ts';
import type { TwitchMetrics } from './twitch-metrics.ts';

export const TOKEN_ENDPOINT = 'oauth2/token';

/** Renew this long before the stated expiry, so no request carries a token that dies on the way. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

export interface AppTokenOptions {
  clientId: string;
  clientSecret: string;
  /** e.g. https://id.twitch.tv/oauth2 (no trailing slash needed). */
  authBaseUrl: string;
  clock: () => number;
  fetch: Fetch;
  timeoutMs: number;
  metrics: TwitchMetrics;
}

interface Token {
  value: string;
  renewAt: number;
}

export class AppToken {
  private readonly options: AppTokenOptions;
  private token: Token | undefined;
  /** One request in flight at a time: concurrent callers share it rather than minting several. */
  private pending: Promise<string> | undefined;

  constructor(options: AppTokenOptions) {
    this.options = options;
  }

  /** A token believed valid: the cached one, or a new one. Throws HelixError when none is issued. */
  async get(signal?: AbortSignal): Promise<string> {
    const token = this.token;
    if (token !== undefined && this.options.clock() < token.renewAt) return token.value;
    this.pending ??= this.request(signal).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /**
   * Helix answered 401 to `rejected`: forget it. A token another call already renewed is kept,
   * so two requests failing together renew once, not twice.
   */
  invalidate(rejected: string): void {
    if (this.token?.value === rejected) this.token = undefined;
  }

  private async request(signal?: AbortSignal): Promise<string> {
    const { clientId, clientSecret, authBaseUrl, clock, timeoutMs } = this.options;
    const body = new URLSearchParams({
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'client_credentials',
    });
    // The secret goes in the form body, never in the URL: URLs end up in proxy and access logs.
    const outcome = await exchange(
      this.options.fetch,
      `${trimSlash(authBaseUrl)}/token`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      },
      timeoutMs,
      signal,
    );
    if (!outcome.answered) {
      throw this.failure(
        outcome.status,
        `could not reach Twitch's OAuth server (${outcome.status})`,
        {
          transient: true,
          cause: outcome.error,
        },
      );
    }
    const { response } = outcome;
    if (!response.ok) {
      const status = response.status;
      const said = twitchMessage(outcome.body);
      const transient = isTransientStatus(status);
      const message = transient
        ? `Twitch's OAuth server answered ${status}${said === '' ? '' : ` (${said})`}`
        : `Twitch refused an app token (${status}${said === '' ? '' : ` ${said}`}): check the client id and client secret`;
      throw this.failure(`${status}`, message, { transient });
    }
    const issued = parseToken(outcome.body);
    if (issued === undefined) {
      throw this.failure('bad-response', "Twitch's OAuth server answered without a usable token", {
        transient: true,
      });
    }
    const lifetimeMs = issued.expiresInS * 1000;
    const margin = Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 2);
    this.token = { value: issued.accessToken, renewAt: clock() + lifetimeMs - margin };
    return issued.accessToken;
  }

  private failure(
    status: HelixFailureStatus,
    message: string,
    details: { transient: boolean; cause?: unknown },
  ): HelixError {
    this.options.metrics.apiErrors.inc({ endpoint: TOKEN_ENDPOINT, status });
    return new HelixError(message, { endpoint: TOKEN_ENDPOINT, status, ...details });
  }
}

function parseToken(body: string): { accessToken: string; expiresInS: number } | undefined {
  try {
    const parsed = JSON.parse(body) as { access_token?: unknown; expires_in?: unknown };
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '') return undefined;
    const expiresInS =
      typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : 3600;
    return { accessToken: parsed.access_token, expiresInS };
  } catch {
    return undefined;
  }
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
