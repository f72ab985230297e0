// The user token file (TWITCH_TOKEN_FILE): a Twitch user access token and its refresh token,
// shared by every process that acts as that user (chat, clips). Twitch rotates the refresh
// token on every refresh and the old one stops working, so a refresh happens under a file lock
// and starts by re-reading the file: a process that finds a token newer than the one Twitch
// refused adopts it instead of spending a refresh token another process already spent. Writes
// are atomic (temporary file + rename) with owner-only rights (0600). `streamscout auth` writes
// a newly authorized token under the same lock, so a refresh in flight cannot overwrite it.
//
// The file keeps the seed deployments' fields (`access_token`, `refresh_token`, `scopes`,
// `created_at`), so their token files work as they are.
import { randomBytes } from 'node:crypto';
import { chmod, open, readFile, rename, rm } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import type { Fetch } from './http-exchange.ts';
import {
  callOAuth,
  describeAnswer,
  issuedUserToken,
  OAuthUnreachableError,
  postOAuthForm,
  type OAuthAnswer,
  type OAuthServer,
} from './twitch-oauth.ts';

const TokenRecordSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  scopes: z.array(z.string()).default([]),
  created_at: z.string().optional(),
});
export type UserTokenRecord = z.infer<typeof TokenRecordSchema>;

/** Who the token belongs to, as Twitch's /validate says. */
export interface ValidatedUserToken {
  accessToken: string;
  login: string;
  userId: string;
  scopes: string[];
}

/** A token file that cannot be used: one line, naming the setting, for the user to act on. */
export class UserTokenError extends Error {
  override name = 'UserTokenError';
}

export interface UserTokenFileOptions {
  path: string;
  /** The app the token was issued to: refreshing needs its id and secret. */
  clientId: string;
  clientSecret: string;
  authBaseUrl: string;
  fetch?: Fetch;
  clock?: () => number;
  requestTimeoutMs?: number;
}

export class UserTokenFile {
  private readonly options: UserTokenFileOptions;
  private readonly oauth: OAuthServer;
  private readonly clock: () => number;
  private validated: ValidatedUserToken | undefined;
  private pending: Promise<ValidatedUserToken> | undefined;

  constructor(options: UserTokenFileOptions) {
    this.options = options;
    this.oauth = {
      authBaseUrl: options.authBaseUrl,
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      timeoutMs: options.requestTimeoutMs ?? 10_000,
    };
    this.clock = options.clock ?? Date.now;
  }

  /**
   * The token and the user it belongs to. Validated with Twitch once per access token; an
   * access token Twitch no longer accepts is refreshed first. Concurrent callers share one call.
   */
  current(): Promise<ValidatedUserToken> {
    if (this.validated !== undefined) return Promise.resolve(this.validated);
    this.pending ??= this.load().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /**
   * `rejected` was refused (a 401 from Helix, or chat's "Login authentication failed"): get a
   * newer token, from the file if another process already refreshed, else from Twitch.
   */
  async refresh(rejected: string): Promise<ValidatedUserToken> {
    if (this.validated !== undefined && this.validated.accessToken !== rejected) {
      return this.validated;
    }
    this.validated = undefined;
    const record = await this.withLock(async () => {
      const onDisk = await readUserTokenFile(this.options.path);
      if (onDisk.access_token !== rejected) return onDisk;
      const renewed = await this.requestRefresh(onDisk);
      await writeUserTokenFile(this.options.path, renewed);
      return renewed;
    });
    this.validated = await this.validate(record.access_token);
    return this.validated;
  }

  private async load(): Promise<ValidatedUserToken> {
    const record = await readUserTokenFile(this.options.path);
    try {
      this.validated = await this.validate(record.access_token);
      return this.validated;
    } catch (error) {
      if (!(error instanceof ExpiredTokenError)) throw error;
      return this.refresh(record.access_token);
    }
  }

  private validate(accessToken: string): Promise<ValidatedUserToken> {
    return validateUserToken(this.oauth, accessToken);
  }

  private async requestRefresh(record: UserTokenRecord): Promise<UserTokenRecord> {
    const answer = await reachOAuth(() =>
      postOAuthForm(this.oauth, 'token', {
        grant_type: 'refresh_token',
        refresh_token: record.refresh_token,
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
      }),
    );
    const renewed = issuedUserToken(answer);
    if (renewed === undefined) {
      throw new UserTokenError(
        `TWITCH_TOKEN_FILE: Twitch refused to refresh the user token (${describeAnswer(answer)}): authorize again to write a new token file`,
      );
    }
    return {
      access_token: renewed.accessToken,
      refresh_token: renewed.refreshToken,
      scopes: renewed.scopes.length > 0 ? renewed.scopes : record.scopes,
      created_at: new Date(this.clock()).toISOString(),
    };
  }

  /** Holds the cross-process lock on the token file while `action` runs. */
  private async withLock<T>(action: () => Promise<T>): Promise<T> {
    const release = await lockTokenFile(this.options.path);
    try {
      return await action();
    } finally {
      await release();
    }
  }
}

class ExpiredTokenError extends Error {
  override message = 'the access token is expired or revoked';
}

/** Whose token this is, as Twitch's /validate says; ExpiredTokenError if Twitch refuses it. */
export async function validateUserToken(
  server: OAuthServer,
  accessToken: string,
): Promise<ValidatedUserToken> {
  const answer = await reachOAuth(() =>
    callOAuth(server, 'validate', { headers: { Authorization: `OAuth ${accessToken}` } }),
  );
  if (answer.status === 401) throw new ExpiredTokenError();
  if (answer.status !== 200) {
    throw new UserTokenError(
      `TWITCH_TOKEN_FILE: Twitch could not check the user token (${describeAnswer(answer)})`,
    );
  }
  const { login, user_id: userId, scopes } = answer.body;
  if (typeof login !== 'string' || typeof userId !== 'string') {
    throw new UserTokenError(
      'TWITCH_TOKEN_FILE: the access token is an app token, not a user token',
    );
  }
  return { accessToken, login, userId, scopes: Array.isArray(scopes) ? scopes.map(String) : [] };
}

/** No answer at all is a UserTokenError naming the setting (retrying is the caller's choice). */
async function reachOAuth(call: () => Promise<OAuthAnswer>): Promise<OAuthAnswer> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof OAuthUnreachableError) {
      throw new UserTokenError(`TWITCH_TOKEN_FILE: ${error.message}`);
    }
    throw error;
  }
}

/** Takes the cross-process lock on an existing token file; resolves to its release. */
function lockTokenFile(path: string): Promise<() => Promise<void>> {
  return lockfile.lock(path, {
    // A refresh takes one HTTP call; a holder silent for 30 s has died.
    stale: 30_000,
    retries: { retries: 60, minTimeout: 100, maxTimeout: 1000 },
  });
}

/** Reads and checks the token file; every way it can be unusable is one clear line. */
export async function readUserTokenFile(path: string): Promise<UserTokenRecord> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : `cannot read it (${code})`;
    throw new UserTokenError(`TWITCH_TOKEN_FILE: ${reason}: ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserTokenError(`TWITCH_TOKEN_FILE: not JSON: ${path}`);
  }
  const parsed = TokenRecordSchema.safeParse(json);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || 'the file';
    throw new UserTokenError(`TWITCH_TOKEN_FILE: ${field} is missing or invalid in ${path}`);
  }
  return parsed.data;
}

/**
 * Puts a newly authorized token in place of whatever the file holds, under the refresh lock: a
 * process refreshing the old token at this moment finishes first, and then finds the new token.
 * A file that does not exist yet has no one to race.
 */
export async function replaceUserTokenFile(path: string, record: UserTokenRecord): Promise<void> {
  const release = await lockTokenFile(path).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  try {
    await writeUserTokenFile(path, record);
  } finally {
    await release?.();
  }
}

/** Writes the whole file or nothing, readable by its owner only. */
export async function writeUserTokenFile(path: string, record: UserTokenRecord): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const file = await open(temporary, 'wx', 0o600);
    try {
      await file.writeFile(`${JSON.stringify(record, null, 2)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    // The umask may have narrowed the mode further, never widened it; make it exact.
    await chmod(temporary, 0o600);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
