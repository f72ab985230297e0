// Authorization code flow with a local callback: for a machine with a browser. The person opens
// Twitch's authorize page, clicks Authorize, and Twitch sends the browser back to
// http://localhost:<port>/callback with a code, which is exchanged for the user token. `state` is
// a random value only this run knows: a callback without it did not come from the page this run
// sent the person to (CSRF, or a stale tab) and is turned away without ending the wait.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { trimSlash } from './app-token.ts';
import {
  describeAnswer,
  issuedUserToken,
  postOAuthForm,
  UserAuthorizationError,
  type IssuedUserToken,
  type OAuthServer,
} from './twitch-oauth.ts';

/** The callback listens on loopback only: nothing but this machine's browser should reach it. */
const CALLBACK_HOST = '127.0.0.1';

export interface AuthorizationCodeFlowOptions extends OAuthServer {
  clientId: string;
  clientSecret: string;
  scopes: readonly string[];
  /** Port of http://localhost:<port>/callback, which must be a registered redirect URL of the app. */
  port: number;
  /** Shows the person where to go; `redirectUri` is what the app must have registered. */
  onPrompt: (prompt: { authorizeUrl: string; redirectUri: string }) => void;
  /** How long to wait for the browser to come back. Default 10 minutes. */
  waitMs?: number;
}

/** A person who has not clicked Authorize in ten minutes has gone; the port should not stay open. */
const DEFAULT_WAIT_MS = 10 * 60_000;

/** Runs the whole flow: the user token once the person authorizes; UserAuthorizationError if not. */
export async function authorizeInBrowser(
  options: AuthorizationCodeFlowOptions,
): Promise<IssuedUserToken> {
  const server = await listen(options.port);
  let timer: NodeJS.Timeout | undefined;
  try {
    const redirectUri = `http://localhost:${options.port}/callback`;
    const state = randomBytes(16).toString('hex');
    const callback = awaitCallback(server, { ...options, redirectUri, state });
    options.onPrompt({ authorizeUrl: authorizeUrl(options, redirectUri, state), redirectUri });
    const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
    return await Promise.race([
      callback,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const waited = waitMs >= 60_000 ? `${waitMs / 60_000} min` : `${waitMs / 1000} s`;
          reject(
            new UserAuthorizationError(
              `no answer from the browser within ${waited}: run streamscout auth again`,
            ),
          );
        }, waitMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function authorizeUrl(options: AuthorizationCodeFlowOptions, redirectUri: string, state: string) {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: redirectUri,
    scope: options.scopes.join(' '),
    state,
  });
  // Twitch's examples separate scopes with %20; URLSearchParams writes spaces as '+'.
  return `${trimSlash(options.authBaseUrl)}/authorize?${query.toString().replaceAll('+', '%20')}`;
}

interface Callback extends AuthorizationCodeFlowOptions {
  redirectUri: string;
  state: string;
}

/** Settles on the first callback that carries this run's state; answers every request with a page. */
function awaitCallback(server: Server, callback: Callback): Promise<IssuedUserToken> {
  return new Promise((resolve, reject) => {
    let answered = false;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', callback.redirectUri);
      if (url.pathname !== '/callback') return page(res, 404, 'Not found.');
      if (url.searchParams.get('state') !== callback.state || answered) {
        return page(res, 400, 'This answer is not for the streamscout auth that is waiting.');
      }
      answered = true;
      redeem(callback, url.searchParams).then(
        (token) => {
          page(res, 200, 'Stream Scout is authorized. You can close this tab.');
          resolve(token);
        },
        (error: unknown) => {
          page(res, 400, 'Stream Scout was not authorized. See the terminal for why.');
          reject(error);
        },
      );
    });
  });
}

/** The code in a callback, exchanged for the token; a callback with `error` was declined. */
async function redeem(callback: Callback, params: URLSearchParams): Promise<IssuedUserToken> {
  const error = params.get('error');
  if (error !== null) {
    const said = params.get('error_description') ?? error;
    throw new UserAuthorizationError(`the authorization was declined on Twitch (${said})`);
  }
  const answer = await postOAuthForm(callback, 'token', {
    client_id: callback.clientId,
    client_secret: callback.clientSecret,
    code: params.get('code') ?? '',
    grant_type: 'authorization_code',
    redirect_uri: callback.redirectUri,
  });
  const token = issuedUserToken(answer);
  if (token === undefined) {
    throw new UserAuthorizationError(
      `Twitch refused the authorization code (${describeAnswer(answer)}): check TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET`,
    );
  }
  return token;
}

async function listen(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new UserAuthorizationError(
              `--port ${port}: the port is in use; choose another and register http://localhost:<port>/callback with the app`,
            )
          : error,
      );
    });
    server.listen(port, CALLBACK_HOST, () => resolve());
  });
  return server;
}

function page(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><title>Stream Scout</title><p>${text}</p>\n`);
}
