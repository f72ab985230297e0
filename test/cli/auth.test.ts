// `streamscout auth` run as a user would, against the fake OAuth server on loopback: the test
// is the person approving the code the command prints (or the browser following the authorize
// address), and then checks the token file, its rights, and that no secret was printed.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readUserTokenFile, writeUserTokenFile } from '../../src/sources/twitch/user-token-file.ts';
import { findFreePort } from '../../src/storage/free-port.ts';
import { runCli, type CliResult } from '../support/cli.ts';
import {
  FAKE_CLIENT_SECRET,
  startFakeTwitch,
  type FakeTwitch,
} from '../support/fake-twitch/index.ts';

let twitch: FakeTwitch;
let dir: string;
let tokenFile: string;

beforeAll(async () => {
  // Polled every second, so a test waits at most a second after approving.
  twitch = await startFakeTwitch({ helix: { devicePollIntervalSeconds: 1 } });
  dir = await mkdtemp(join(tmpdir(), 'streamscout-auth-'));
});

afterAll(async () => {
  await twitch.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  // A folder that does not exist yet: auth creates it, for the owner only.
  tokenFile = join(dir, `secrets-${Math.random().toString(36).slice(2)}`, 'tokens.json');
});

/** `streamscout auth` with the device flow; `onCode` is the person at the other device. */
function authWithDevice(onCode: (userCode: string) => void, args: string[] = []) {
  let seen = false;
  return runCli(['auth', ...args], {
    env: { ...twitch.env, TWITCH_TOKEN_FILE: tokenFile, LOG_LEVEL: 'warn' },
    onStderr: (stderr) => {
      const code = /code shown there is: ([A-Z]+)/.exec(stderr)?.[1];
      if (code === undefined || seen) return;
      seen = true;
      onCode(code);
    },
  });
}

/** Neither output holds the tokens in the file nor the client secret. */
async function expectNoSecretsIn(result: CliResult): Promise<void> {
  const record = await readUserTokenFile(tokenFile);
  for (const secret of [record.access_token, record.refresh_token, FAKE_CLIENT_SECRET]) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

describe('streamscout auth', () => {
  it('prints the code, waits for approval, and writes the token file at 0600 in a 0700 folder', async () => {
    const result = await authWithDevice((code) => twitch.helix.approveDevice(code, 'clipper'));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`Wrote ${tokenFile} for clipper (scopes: chat:read clips:edit)\n`);
    expect(result.stderr).toContain(`${twitch.helix.baseUrl}/activate?device-code=`);
    const record = await readUserTokenFile(tokenFile);
    expect(record).toEqual({
      access_token: expect.stringMatching(/^[a-z0-9]{30}$/),
      refresh_token: expect.stringMatching(/^[a-z0-9]{50}$/),
      scopes: ['chat:read', 'clips:edit'],
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(twitch.helix.chatUserOf(record.access_token)?.login).toBe('clipper');
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(tokenFile, '..'))).mode & 0o777).toBe(0o700);
    await expectNoSecretsIn(result);
  });

  it('authorizes through the browser and the local callback with --flow code', async () => {
    twitch.helix.autoApproveAs('streamer');
    const port = await findFreePort();
    let browsing: Promise<Response> | undefined;
    const result = await runCli(['auth', '--flow', 'code', '--port', String(port)], {
      env: { ...twitch.env, TWITCH_TOKEN_FILE: tokenFile },
      onStderr: (stderr) => {
        const url = /^ {2}(http\S+\/authorize\?\S+)$/m.exec(stderr)?.[1];
        if (url !== undefined) browsing ??= fetch(url);
      },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`Wrote ${tokenFile} for streamer (scopes: chat:read clips:edit)\n`);
    expect(await (await browsing!).text()).toContain('Stream Scout is authorized');
    await expectNoSecretsIn(result);
  });

  it('replaces an existing file only once a refresh holding its lock is done', async () => {
    tokenFile = join(dir, `existing-${Math.random().toString(36).slice(2)}.json`);
    const old = twitch.helix.issueUserToken({ login: 'clipper', scopes: ['chat:read'] });
    await writeUserTokenFile(tokenFile, {
      access_token: old.accessToken,
      refresh_token: old.refreshToken,
      scopes: ['chat:read'],
    });
    const release = await lockfile.lock(tokenFile);
    const validations = (): number => twitch.helix.requestsTo('/oauth2/validate').length;
    const before = validations();
    const run = authWithDevice((code) => twitch.helix.approveDevice(code, 'clipper'));
    // The new token is in hand and checked; the file still holds the old one while locked.
    await until(() => validations() > before);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await readUserTokenFile(tokenFile)).access_token).toBe(old.accessToken);
    await release();
    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    expect((await readUserTokenFile(tokenFile)).access_token).not.toBe(old.accessToken);
  });

  it('ends with one line and writes nothing when the person declines', async () => {
    const result = await authWithDevice((code) => twitch.helix.denyDevice(code));
    expect(result.code).toBe(1);
    expect(lastLines(result.stderr)).toEqual([
      'streamscout: the authorization was declined on Twitch: run streamscout auth again to retry',
    ]);
    await expect(readFile(tokenFile)).rejects.toThrow(/ENOENT/);
  });

  it('ends with one line when the OAuth server cannot be reached', async () => {
    const closed = await findFreePort();
    const result = await runCli(['auth'], {
      env: {
        ...twitch.env,
        TWITCH_AUTH_BASE_URL: `http://127.0.0.1:${closed}/oauth2`,
        TWITCH_TOKEN_FILE: tokenFile,
      },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `streamscout: could not reach Twitch's OAuth server at http://127.0.0.1:${closed}/oauth2/device (network)\n`,
    );
  });
});

/** stderr after the prompt block: the command's last word. */
function lastLines(stderr: string): string[] {
  return stderr.trimEnd().split('\n').slice(-1);
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
