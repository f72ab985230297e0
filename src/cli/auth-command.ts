// `streamscout auth`: gets a Twitch user token with the scopes Stream Scout acts with (chat:read
// to read chat as that user, clips:edit to create clips) and writes TWITCH_TOKEN_FILE, where
// `start` reads and refreshes it. Tokens and the client secret are never printed: only the
// address to open, the user code, and whose token was written.
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command, Option } from 'commander';
import { loadConfig } from '../config.ts';
import { authorizeInBrowser } from '../sources/twitch/authorization-code-flow.ts';
import { authorizeDevice, type DevicePrompt } from '../sources/twitch/device-code-flow.ts';
import {
  UserAuthorizationError,
  type IssuedUserToken,
  type OAuthServer,
} from '../sources/twitch/twitch-oauth.ts';
import {
  replaceUserTokenFile,
  validateUserToken,
  type ValidatedUserToken,
} from '../sources/twitch/user-token-file.ts';
import { UsageError } from './usage-error.ts';

export const USER_TOKEN_SCOPES = ['chat:read', 'clips:edit'] as const;

/** Where the token goes when neither --token-file nor TWITCH_TOKEN_FILE says (the seed's path). */
export const DEFAULT_TOKEN_FILE = './secrets/twitch_user_tokens.json';

const FLOWS = ['device', 'code'] as const;

interface AuthOptions {
  flow: (typeof FLOWS)[number];
  port: string;
  tokenFile?: string;
}

export function authCommand(): Command {
  return new Command('auth')
    .description(
      `Authorize Stream Scout as a Twitch user (scopes ${USER_TOKEN_SCOPES.join(' ')}) and write the token file, mode 0600`,
    )
    .addOption(
      new Option(
        '--flow <flow>',
        'device: enter a code on twitch.tv/activate from any device (headless servers); code: a browser on this machine, redirected to http://localhost:<port>/callback',
      )
        .choices(FLOWS)
        .default('device'),
    )
    .option('--port <port>', 'callback port of --flow code', '3000')
    .option(
      '--token-file <path>',
      `where to write the token (env TWITCH_TOKEN_FILE, default ${DEFAULT_TOKEN_FILE})`,
    )
    .addHelpText(
      'after',
      '\nNeeds TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET of the app registered in the Twitch developer console;\nfor --flow code its redirect URLs must include http://localhost:<port>/callback.\n',
    )
    .action(auth);
}

async function auth(options: AuthOptions): Promise<void> {
  const config = loadConfig(process.env);
  const { twitchClientId: clientId, twitchClientSecret: clientSecret } = config;
  if (clientId === undefined || clientSecret === undefined) {
    throw new UsageError(
      'auth: needs TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET (the app registered in the Twitch developer console)',
    );
  }
  const path = resolve(options.tokenFile ?? config.twitchTokenFile ?? DEFAULT_TOKEN_FILE);
  const port = parsePort(options.port);
  const server: OAuthServer = {
    authBaseUrl: config.twitchAuthBaseUrl,
    fetch: (input, init) => globalThis.fetch(input, init),
    timeoutMs: 10_000,
  };
  const grant = { ...server, clientId, clientSecret, scopes: USER_TOKEN_SCOPES };
  const issued =
    options.flow === 'code'
      ? await authorizeInBrowser({ ...grant, port, onPrompt: showAuthorizeUrl })
      : await authorizeDevice({ ...grant, clock: Date.now, sleep, onPrompt: showDevicePrompt });
  const user = await checkedUser(server, issued);
  await writeTokenFile(path, issued, user);
  process.stdout.write(`Wrote ${path} for ${user.login} (scopes: ${user.scopes.join(' ')})\n`);
  if (config.twitchTokenFile !== path) {
    process.stderr.write(`streamscout start uses it with TWITCH_TOKEN_FILE=${path}\n`);
  }
}

/** Whose token it is, from Twitch; a token without every scope Stream Scout needs is refused. */
async function checkedUser(
  server: OAuthServer,
  issued: IssuedUserToken,
): Promise<ValidatedUserToken> {
  const user = await validateUserToken(server, issued.accessToken);
  const missing = USER_TOKEN_SCOPES.filter((scope) => !user.scopes.includes(scope));
  if (missing.length > 0) {
    throw new UserAuthorizationError(
      `Twitch granted ${user.login} a token without ${missing.join(' ')}: nothing was written`,
    );
  }
  return user;
}

async function writeTokenFile(
  path: string,
  issued: IssuedUserToken,
  user: ValidatedUserToken,
): Promise<void> {
  // Only the owner may look into the folder that holds the secrets; an existing one is left as is.
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await replaceUserTokenFile(path, {
    access_token: issued.accessToken,
    refresh_token: issued.refreshToken,
    scopes: user.scopes,
    created_at: new Date().toISOString(),
  });
}

function showDevicePrompt(prompt: DevicePrompt): void {
  const minutes = Math.round(prompt.expiresInS / 60);
  process.stderr.write(
    [
      '',
      'To authorize Stream Scout, open this address on any device and sign in to Twitch',
      'as the account that will read chat and create clips:',
      '',
      `  ${prompt.verificationUri}`,
      '',
      `and check that the code shown there is: ${prompt.userCode}`,
      `Waiting for you to authorize (the code expires in ${minutes} minutes)...`,
      '',
    ].join('\n'),
  );
}

function showAuthorizeUrl(prompt: { authorizeUrl: string; redirectUri: string }): void {
  process.stderr.write(
    [
      '',
      'To authorize Stream Scout, open this address in a browser on this machine and sign in to',
      'Twitch as the account that will read chat and create clips:',
      '',
      `  ${prompt.authorizeUrl}`,
      '',
      `Waiting for Twitch to send the browser back to ${prompt.redirectUri} ...`,
      '',
    ].join('\n'),
  );
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new UsageError(
      `--port: expected an integer from 1 to 65535, got ${JSON.stringify(value)}`,
    );
  }
  return port;
}
