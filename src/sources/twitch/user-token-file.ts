// The user token file (TWITCH_TOKEN_FILE): a Twitch user access token and its refresh token,
// shared by every process that acts as that user (chat, clips). Twitch rotates the refresh
// token on every refresh and the old one stops working, so a refresh happens under a file lock
// and starts by re-reading the file: a process that finds a token newer than the one Twitch
// refused adopts it instead of spending a refresh token another process already spent. Writes
// are atomic (temporary file + rename) with owner-only rights (0600).
//
// The file keeps the seed deployments' fields (`access_token`, `refresh_token`, `scopes`,
// `created_at`), so their token files work as they are.
import { randomBytes } from 'node:crypto';
import { chmod, open, readFile, rename, rm } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { trimSlash } from './app-token.ts';
import { exchange, twitchMessage, type Fetch } from './http-exchange.ts';

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
  private readonly fetch: Fetch;
  private readonly clock: () => number;
  private validated: ValidatedUserToken | undefined;
  private pending: Promise<ValidatedUserToken> | undefined;

  constructor(options: UserTokenFileOptions) {
    this.options = options;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
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

  private async validate(accessToken: string): Promise<ValidatedUserToken> {
    const { answer, status, said } = await this.call('validate', {
      headers: { Authorization: `OAuth ${accessToken}` },
    });
    if (status === 401) throw new ExpiredTokenError();
    if (status !== 200) {
      throw new UserTokenError(
        `TWITCH_TOKEN_FILE: Twitch could not check the user token (${status}${said})`,
      );
    }
    const body = answer as { login?: unknown; user_id?: unknown; scopes?: unknown };
    if (typeof body.login !== 'string' || typeof body.user_id !== 'string') {
      throw new UserTokenError(
        'TWITCH_TOKEN_FILE: the access token is an app token, not a user token',
      );
    }
    const scopes = Array.isArray(body.scopes) ? body.scopes.map(String) : [];
    return { accessToken, login: body.login, userId: body.user_id, scopes };
  }

  private async requestRefresh(record: UserTokenRecord): Promise<UserTokenRecord> {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: record.refresh_token,
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
    });
    const { answer, status, said } = await this.call('token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const body = answer as { access_token?: unknown; refresh_token?: unknown; scope?: unknown };
    if (
      status !== 200 ||
      typeof body.access_token !== 'string' ||
      typeof body.refresh_token !== 'string'
    ) {
      throw new UserTokenError(
        `TWITCH_TOKEN_FILE: Twitch refused to refresh the user token (${status}${said}): authorize again to write a new token file`,
      );
    }
    return {
      access_token: body.access_token,
      refresh_token: body.refresh_token,
      scopes: Array.isArray(body.scope) ? body.scope.map(String) : record.scopes,
      created_at: new Date(this.clock()).toISOString(),
    };
  }

  /** One OAuth call; no answer at all is a UserTokenError (retrying is the caller's choice). */
  private async call(
    endpoint: 'validate' | 'token',
    init: RequestInit,
  ): Promise<{ answer: unknown; status: number; said: string }> {
    const url = `${trimSlash(this.options.authBaseUrl)}/${endpoint}`;
    const outcome = await exchange(this.fetch, url, init, this.options.requestTimeoutMs ?? 10_000);
    if (!outcome.answered) {
      throw new UserTokenError(
        `TWITCH_TOKEN_FILE: could not reach Twitch's OAuth server at ${url} (${outcome.status})`,
      );
    }
    const said = twitchMessage(outcome.body);
    let answer: unknown = {};
    try {
      answer = JSON.parse(outcome.body);
    } catch {
      // An error page: the status says enough.
    }
    return { answer, status: outcome.response.status, said: said === '' ? '' : `: ${said}` };
  }

  /** Holds the cross-process lock on the token file while `action` runs. */
  private async withLock<T>(action: () => Promise<T>): Promise<T> {
    const release = await lockfile.lock(this.options.path, {
      // A refresh takes one HTTP call; a holder silent for 30 s has died.
      stale: 30_000,
      retries: { retries: 60, minTimeout: 100, maxTimeout: 1000 },
    });
    try {
      return await action();
    } finally {
      await release();
    }
  }
}

class ExpiredTokenError extends Error {}

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
