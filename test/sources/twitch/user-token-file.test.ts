// The user token file against the fake OAuth server: validation, refresh with a rotated refresh
// token, atomic 0600 writes, and two holders of one file refreshing once between them.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatUserLogin } from '../../../src/sources/twitch/chat-user-login.ts';
import {
  readUserTokenFile,
  UserTokenError,
  UserTokenFile,
  writeUserTokenFile,
} from '../../../src/sources/twitch/user-token-file.ts';
import { CLIENT_ID, CLIENT_SECRET, startHelix, type HelixFixture } from './twitch-test-kit.ts';

const REFRESH_SCRIPT = fileURLToPath(
  new URL('../../support/refresh-user-token.ts', import.meta.url),
);

let fixture: HelixFixture;
let dir: string;
let path: string;

beforeAll(async () => {
  fixture = await startHelix();
  dir = await mkdtemp(join(tmpdir(), 'streamscout-token-'));
});

afterAll(async () => {
  await fixture.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  path = join(dir, `tokens-${Math.random().toString(36).slice(2)}.json`);
});

function tokenFile(): UserTokenFile {
  return new UserTokenFile({
    path,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    authBaseUrl: fixture.helix.authBaseUrl,
  });
}

/** A token for `login` as `streamscout auth` (or the seed's tool) would have written it. */
async function seedFile(login = 'clipper'): Promise<{ accessToken: string; refreshToken: string }> {
  const issued = fixture.helix.issueUserToken({ login, scopes: ['chat:read', 'clips:edit'] });
  await writeUserTokenFile(path, {
    access_token: issued.accessToken,
    refresh_token: issued.refreshToken,
    scopes: ['chat:read', 'clips:edit'],
    created_at: '2026-01-11T00:00:00Z',
  });
  return issued;
}

/** Nothing here asks for app tokens, so every call to /oauth2/token is a refresh. */
const refreshes = (): number => fixture.helix.requestsTo('/oauth2/token').length;

describe('UserTokenFile', () => {
  it('reads the seed format and learns whose token it is from Twitch', async () => {
    const { accessToken } = await seedFile('clipper');
    const token = await tokenFile().current();
    expect(token).toMatchObject({
      accessToken,
      login: 'clipper',
      scopes: ['chat:read', 'clips:edit'],
    });
    expect(token.userId).toMatch(/^\d+$/);
  });

  it('refreshes an expired token, writes the rotated refresh token atomically with mode 0600', async () => {
    const seeded = await seedFile();
    fixture.helix.expireToken(seeded.accessToken);
    const before = refreshes();
    const token = await tokenFile().current();
    expect(token.accessToken).not.toBe(seeded.accessToken);
    expect(refreshes()).toBe(before + 1);
    const onDisk = await readUserTokenFile(path);
    expect(onDisk.access_token).toBe(token.accessToken);
    expect(onDisk.refresh_token).not.toBe(seeded.refreshToken); // the old one is spent
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    // What was written works: the next refresh uses it.
    const again = await tokenFile().refresh(token.accessToken);
    expect(again.accessToken).not.toBe(token.accessToken);
  });

  it('lets two holders of one file refresh once between them, and both end on the new token', async () => {
    const seeded = await seedFile();
    const first = tokenFile();
    const second = tokenFile();
    await Promise.all([first.current(), second.current()]);
    fixture.helix.expireToken(seeded.accessToken);
    const before = refreshes();
    const [a, b] = await Promise.all([
      first.refresh(seeded.accessToken),
      second.refresh(seeded.accessToken),
    ]);
    expect(refreshes()).toBe(before + 1);
    expect(a.accessToken).toBe(b.accessToken);
    expect((await readUserTokenFile(path)).access_token).toBe(a.accessToken);
  });

  it('lets separate processes sharing the file refresh once between them', async () => {
    const seeded = await seedFile();
    fixture.helix.expireToken(seeded.accessToken);
    const before = refreshes();
    const args = [path, fixture.helix.authBaseUrl, CLIENT_ID, CLIENT_SECRET, seeded.accessToken];
    const holders = [1, 2, 3].map(() => startHolder(args));
    await Promise.all(holders.map((holder) => holder.ready));
    for (const holder of holders) holder.go();
    const results = await Promise.all(holders.map((holder) => holder.result));
    const tokens = new Set(results);
    expect(tokens.size).toBe(1);
    expect(refreshes()).toBe(before + 1);
    expect((await readUserTokenFile(path)).access_token).toBe([...tokens][0]);
  });

  it('gives chat the token, and a refreshed one after chat reports a refused login', async () => {
    const seeded = await seedFile('scout_bot');
    const login = chatUserLogin(tokenFile());
    expect(await login.credentials()).toEqual({
      login: 'scout_bot',
      accessToken: seeded.accessToken,
    });
    const before = refreshes();
    login.onAuthenticationFailed();
    const renewed = await login.credentials();
    expect(renewed.accessToken).not.toBe(seeded.accessToken);
    expect(await login.credentials()).toEqual(renewed);
    expect(refreshes()).toBe(before + 1);
  });

  it('says in one line what is wrong with an unusable file', async () => {
    const expectError = async (message: RegExp): Promise<void> => {
      const error = await tokenFile()
        .current()
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toBeInstanceOf(UserTokenError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    };
    await expectError(/^TWITCH_TOKEN_FILE: no such file: /);
    await writeFile(path, '{not json');
    await expectError(/^TWITCH_TOKEN_FILE: not JSON: /);
    await writeFile(path, JSON.stringify({ access_token: 'x' }));
    await expectError(/^TWITCH_TOKEN_FILE: refresh_token is missing or invalid in /);
    await writeFile(
      path,
      JSON.stringify({ access_token: fixture.helix.issueAppToken(), refresh_token: 'r' }),
    );
    await expectError(/^TWITCH_TOKEN_FILE: the access token is an app token, not a user token$/);
    await writeFile(path, JSON.stringify({ access_token: 'revoked', refresh_token: 'spent' }));
    await expectError(
      /^TWITCH_TOKEN_FILE: Twitch refused to refresh the user token \(400: Invalid refresh token\): authorize again/,
    );
  });
});

/** A token-file holder in its own process, started and then told to refresh on cue. */
function startHolder(args: string[]): {
  ready: Promise<void>;
  go: () => void;
  result: Promise<string>;
} {
  const child = spawn(process.execPath, [REFRESH_SCRIPT, ...args], { stdio: 'pipe' });
  let out = '';
  let err = '';
  let markReady = (): void => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const result = new Promise<string>((resolve, reject) => {
    child.on('close', (code) =>
      code === 0 ? resolve(out.replace('ready\n', '').trim()) : reject(new Error(err)),
    );
  });
  return { ready, go: () => child.stdin.write('go\n'), result };
}
