// Calls to Twitch's OAuth server (id.twitch.tv/oauth2) on behalf of a user: the token endpoint's
// grants (refresh, device code, authorization code), validation and the device endpoint. Tokens
// and the client secret travel only in form bodies and headers, never in URLs (URLs end up in
// proxy and access logs), and no error message carries them: only Twitch's own `message`.
import { trimSlash } from './app-token.ts';
import { exchange, twitchMessage, type Fetch } from './http-exchange.ts';

/** Where Twitch's OAuth server is and how to reach it. */
export interface OAuthServer {
  /** e.g. https://id.twitch.tv/oauth2 (no trailing slash needed). */
  authBaseUrl: string;
  fetch: Fetch;
  timeoutMs: number;
}

/** What the OAuth server said: its status, its JSON body (empty if none) and its `message`. */
export interface OAuthAnswer {
  status: number;
  body: Record<string, unknown>;
  /** Twitch's `message` (`authorization_pending`, `Invalid refresh token`, ...), or ''. */
  message: string;
}

/** The OAuth server did not answer at all (connection refused, DNS, deadline). */
export class OAuthUnreachableError extends Error {
  override name = 'OAuthUnreachableError';
}

/** No user token came of an authorization: declined, expired, refused; one line for the user. */
export class UserAuthorizationError extends Error {
  override name = 'UserAuthorizationError';
}

/** A user token the token endpoint issued. */
export interface IssuedUserToken {
  accessToken: string;
  refreshToken: string;
  scopes: string[];
}

/** One call to `<authBaseUrl>/<endpoint>`; throws OAuthUnreachableError when nothing answers. */
export async function callOAuth(
  server: OAuthServer,
  endpoint: string,
  init: RequestInit,
): Promise<OAuthAnswer> {
  const url = `${trimSlash(server.authBaseUrl)}/${endpoint}`;
  const outcome = await exchange(server.fetch, url, init, server.timeoutMs);
  if (!outcome.answered) {
    throw new OAuthUnreachableError(
      `could not reach Twitch's OAuth server at ${url} (${outcome.status})`,
    );
  }
  return {
    status: outcome.response.status,
    body: parseObject(outcome.body),
    message: twitchMessage(outcome.body),
  };
}

/** A form-encoded POST, as every OAuth grant is sent. */
export function postOAuthForm(
  server: OAuthServer,
  endpoint: string,
  form: Record<string, string>,
): Promise<OAuthAnswer> {
  return callOAuth(server, endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

/** The user token in a 200 answer of the token endpoint, if it holds one. */
export function issuedUserToken(answer: OAuthAnswer): IssuedUserToken | undefined {
  const { access_token: accessToken, refresh_token: refreshToken, scope } = answer.body;
  if (answer.status !== 200 || typeof accessToken !== 'string' || accessToken === '') {
    return undefined;
  }
  if (typeof refreshToken !== 'string' || refreshToken === '') return undefined;
  return { accessToken, refreshToken, scopes: Array.isArray(scope) ? scope.map(String) : [] };
}

/** `400: invalid client`, or just `400` when Twitch said nothing. */
export function describeAnswer(answer: OAuthAnswer): string {
  return answer.message === '' ? `${answer.status}` : `${answer.status}: ${answer.message}`;
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    // An error page: the status says enough.
    return {};
  }
}
