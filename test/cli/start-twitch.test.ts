// `streamscout start` pointed at fake Twitch through TWITCH_API_BASE_URL, TWITCH_AUTH_BASE_URL
// and TWITCH_IRC_HOST, as a user would run it: discovery finds the fake live channels, chat is
// read over IRC, and the channels, their metrics and a moment show in the API and in the UI.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUserTokenFile, writeUserTokenFile } from '../../src/sources/twitch/user-token-file.ts';
import { findFreePort } from '../../src/storage/free-port.ts';
import { poll } from '../support/poll.ts';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import {
  FakeLiveChannels,
  startFakeTwitch,
  type FakeTwitch,
} from '../support/fake-twitch/index.ts';

const BIN = fileURLToPath(new URL('../../bin/streamscout.js', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
/** The detector's warm-up (30 s of a channel's chat) plus a margin: then the burst is cued. */
const WARM_UP_MS = 35_000;
const BURST_CHANNEL = 'fake_valorantpro';
const ENDING_CHANNEL = 'fake_lofimusic';

let base = '';

interface StreamRow {
  channel: string;
  live: boolean;
  viewers: number | null;
  title: string | null;
  chat_rate: number | null;
}

describe('streamscout start against fake Twitch', () => {
  let twitch: FakeTwitch;
  let live: FakeLiveChannels;
  let database: TestDatabase;
  let workDir: string;
  let child: ChildProcess;
  let stderr = '';

  beforeAll(async () => {
    // The chat fake on an ephemeral port: twitch.env says TWITCH_IRC_HOST=127.0.0.1:<port>.
    twitch = await startFakeTwitch();
    // Bursts only on cue, so the moment below is the one this test caused.
    live = new FakeLiveChannels({
      irc: twitch.irc,
      helix: twitch.helix,
      seed: 4,
      burstChancePerSecond: 0,
    });
    live.start();
    database = await createTestDatabase();
    workDir = await mkdtemp(join(tmpdir(), 'streamscout-twitch-'));
    const webRoot = join(workDir, 'web');
    await build({
      configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
      logLevel: 'silent',
      build: { outDir: webRoot },
    });
    // A token that may clip (and not read chat: chat stays anonymous, as most deployments run).
    const { tokenFile } = await tokenFileFor('clip_maker', ['clips:edit']);
    const started = await startProcess([], {
      ...twitch.env,
      TWITCH_TOKEN_FILE: tokenFile,
      DATABASE_URL: database.url,
      WEB_ROOT: webRoot,
      // Short, so the offline test sees the next Get Streams poll within seconds.
      TWITCH_POLL_INTERVAL_S: '2',
    });
    child = started.child;
    base = started.base;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await waitReady(base);
  }, 120_000);

  afterAll(async () => {
    if (child !== undefined) await stopProcess(child);
    live?.stop();
    await twitch?.close();
    await database?.drop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** A token file for `login` with these scopes, as `streamscout auth` would write it. */
  async function tokenFileFor(login: string, scopes: string[]) {
    const issued = twitch.helix.issueUserToken({ login, scopes });
    const tokenFile = join(workDir, `${login}_tokens.json`);
    await writeUserTokenFile(tokenFile, {
      access_token: issued.accessToken,
      refresh_token: issued.refreshToken,
      scopes,
    });
    return { issued, tokenFile };
  }

  function anonymousIn(channel: string): number {
    return twitch.irc.clientsIn(channel).filter((client) => client.anonymous).length;
  }

  it('shows the fake channels live with their metrics, and a moment when chat erupts', async () => {
    const streams = await poll(async () => {
      const rows = (await getJson<{ streams: StreamRow[] }>('/api/v1/streams')).streams;
      const chatting = rows.filter((row) => row.live && row.chat_rate !== null);
      return chatting.length === live.channels.length ? rows : undefined;
    }, 60_000);
    expect(streams.map((row) => row.channel).sort()).toEqual([...live.channels].sort());
    const valorant = streams.find((row) => row.channel === BURST_CHANNEL);
    expect(valorant).toMatchObject({ live: true, title: 'ranked grind to radiant' });
    expect(valorant?.viewers).toBeGreaterThan(0);

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metricValue(metrics, 'active_stream_count')).toBe(live.channels.length);
    expect(metricValue(metrics, 'irc_joined_channels')).toBe(live.channels.length);
    expect(metricValue(metrics, 'chat_messages_total')).toBeGreaterThan(0);
    expect(metricValue(metrics, 'chat_message_rate')).toBeGreaterThan(0);
    expect(twitch.irc.joinViolations).toEqual([]);

    await sleep(WARM_UP_MS);
    live.burst(BURST_CHANNEL, 12_000);
    const moments = await poll(async () => {
      const body = await getJson<{ moments: { channel: string }[] }>(
        `/api/v1/moments?channel=${BURST_CHANNEL}`,
      );
      return body.moments.length > 0 ? body.moments : undefined;
    }, 60_000);
    expect(moments[0]?.channel).toBe(BURST_CHANNEL);

    // The moment is clipped on Twitch, as the token's user, and the clip is in the seed's feed.
    const clips = await poll(async () => {
      const body = await getJson<{ clips: Record<string, unknown>[] }>(
        '/v1.0/clip?min_intensity=0',
      );
      return body.clips.length > 0 ? body.clips : undefined;
    }, 60_000);
    const [made] = twitch.helix.clips.all;
    expect(twitch.helix.clips.all).toHaveLength(1);
    expect(clips[0]).toMatchObject({
      clip_id: made!.id,
      streamer_login: BURST_CHANNEL,
      url: made!.url,
      embed_url: made!.embed_url,
    });
    expect(made!.creator_name).toBe('clip_maker');
    const feed = await getJson<{ clips: Record<string, unknown>[] }>(
      `/api/v1/clips?channel=${BURST_CHANNEL}`,
    );
    expect(feed.clips).toEqual([
      expect.objectContaining({
        clip_id: made!.id,
        channel: BURST_CHANNEL,
        moment_id: expect.any(String),
      }),
    ]);
    expect(feed.clips[0]!.peak_offset_s).toEqual(expect.any(Number));
    const exposition = await (await fetch(`${base}/metrics`)).text();
    expect(metricValue(exposition, 'clips_created_success_total')).toBe(1);
    expect(metricValue(exposition, 'clip_peak_offset_seconds_count')).toBe(1);
    // The peak is inside the clip: after its start, and before its end (at most 60 s).
    expect(exposition).toMatch(/^clip_peak_offset_seconds_bucket\{le="0"\} 0$/m);
    expect(exposition).toMatch(/^clip_peak_offset_seconds_bucket\{le="60"\} 1$/m);
    expect(exposition).toMatch(
      /^twitch_api_latency_seconds_count\{endpoint="clips",method="POST"\} 1$/m,
    );
    expect(stderr).not.toMatch(/error/i);
  }, 240_000);

  it.skipIf(!hasChromium)(
    `shows them in the UI${hasChromium ? '' : `: skipped, no browser at ${CHROMIUM}`}`,
    async () => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      try {
        const page = await browser.newPage();
        await page.goto(`${base}/`);
        const row = page.locator(`[data-testid="stream-row"][data-channel="${BURST_CHANNEL}"]`);
        await row.waitFor({ timeout: 30_000 });
        expect(await page.locator('[data-testid="stream-row"]').count()).toBe(live.channels.length);
        await page
          .locator('[data-testid="moment-card"]', { hasText: BURST_CHANNEL })
          .first()
          .waitFor({ timeout: 30_000 });
      } finally {
        await browser.close();
      }
    },
    90_000,
  );

  it('marks a stream that ended offline and leaves its chat', async () => {
    expect(twitch.irc.clientsIn(ENDING_CHANNEL)).toHaveLength(1);
    live.endStream(ENDING_CHANNEL);
    const ended = await poll(async () => {
      const rows = (await getJson<{ streams: StreamRow[] }>('/api/v1/streams')).streams;
      const row = rows.find((r) => r.channel === ENDING_CHANNEL);
      return row?.live === false ? row : undefined;
    }, 30_000);
    expect(ended.channel).toBe(ENDING_CHANNEL);
    await twitch.irc.waitFor(
      () => twitch.irc.clientsIn(ENDING_CHANNEL).length === 0,
      'the monitor to leave the ended stream',
      10_000,
    );
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metricValue(metrics, 'active_stream_count')).toBe(live.channels.length);
    expect(metricValue(metrics, 'irc_joined_channels')).toBe(live.channels.length);
  }, 60_000);

  it('reads --channels anonymously when there are no app credentials', async () => {
    const anonymousDb = await createTestDatabase();
    const { TWITCH_IRC_HOST } = twitch.env;
    const started = await startProcess(['--channels', '#Fake_LolCoach,fake_rpserver'], {
      TWITCH_IRC_HOST,
      DATABASE_URL: anonymousDb.url,
    });
    try {
      await waitReady(started.base);
      const rows = await poll(async () => {
        const body = await getJson<{ streams: StreamRow[] }>('/api/v1/streams', started.base);
        return body.streams.length === 2 && body.streams.every((row) => row.chat_rate !== null)
          ? body.streams
          : undefined;
      }, 60_000);
      expect(rows.map((row) => row.channel).sort()).toEqual(['fake_lolcoach', 'fake_rpserver']);
      // Without Helix nothing says whether they are live; chat is read all the same.
      expect(rows.every((row) => !row.live)).toBe(true);
      const anonymous = twitch.irc.clientsIn('fake_lolcoach').filter((client) => client.anonymous);
      expect(anonymous.length).toBeGreaterThan(0);
      const metrics = await (await fetch(`${started.base}/metrics`)).text();
      expect(metricValue(metrics, 'irc_joined_channels')).toBe(2);
    } finally {
      await stopProcess(started.child);
      await anonymousDb.drop();
    }
  }, 120_000);

  it('reads chat as the user of TWITCH_TOKEN_FILE, refreshing an expired token first', async () => {
    const userDb = await createTestDatabase();
    const { issued, tokenFile } = await tokenFileFor('scout_bot', ['chat:read', 'clips:edit']);
    twitch.helix.expireToken(issued.accessToken);
    const started = await startProcess(['--channels', 'fake_rpserver'], {
      ...twitch.env,
      TWITCH_TOKEN_FILE: tokenFile,
      DATABASE_URL: userDb.url,
    });
    try {
      await waitReady(started.base);
      await twitch.irc.waitFor(
        () =>
          twitch.irc
            .clientsIn('fake_rpserver')
            .some((client) => client.nick === 'scout_bot' && !client.anonymous),
        'the monitor to join as scout_bot',
        20_000,
      );
      const rotated = await readUserTokenFile(tokenFile);
      expect(rotated.access_token).not.toBe(issued.accessToken);
      expect(rotated.refresh_token).not.toBe(issued.refreshToken);
    } finally {
      await stopProcess(started.child);
      await userDb.drop();
    }
  }, 120_000);

  it('reads chat anonymously when the token file has no chat:read scope', async () => {
    const userDb = await createTestDatabase();
    const { tokenFile } = await tokenFileFor('clip_only', ['clips:edit']);
    const anonymousBefore = anonymousIn('fake_rpserver');
    const started = await startProcess(['--channels', 'fake_rpserver'], {
      ...twitch.env,
      TWITCH_TOKEN_FILE: tokenFile,
      DATABASE_URL: userDb.url,
    });
    try {
      await waitReady(started.base);
      await twitch.irc.waitFor(
        () => anonymousIn('fake_rpserver') > anonymousBefore,
        'the monitor to join anonymously',
        20_000,
      );
      expect(twitch.irc.allClients.some((client) => client.nick === 'clip_only')).toBe(false);
    } finally {
      await stopProcess(started.child);
      await userDb.drop();
    }
  }, 120_000);

  it.each([
    [
      'a wrong client secret',
      { TWITCH_CLIENT_SECRET: 'not-the-secret' },
      /^streamscout: Twitch stream discovery failed at start: Twitch refused an app token \(\d+[^)]*\): check the client id and client secret\n$/,
    ],
    [
      'a client id without its secret',
      { TWITCH_CLIENT_SECRET: '' },
      /^streamscout: TWITCH_CLIENT_SECRET: required when TWITCH_CLIENT_ID is set \(app credentials come in pairs\)\n$/,
    ],
    [
      'a token file that is not there',
      { TWITCH_TOKEN_FILE: '/nonexistent/twitch_user_tokens.json' },
      /^streamscout: TWITCH_TOKEN_FILE: no such file: \/nonexistent\/twitch_user_tokens\.json\n$/,
    ],
    [
      'a malformed channel list',
      { TWITCH_CHANNELS: 'good,not a login' },
      /^streamscout: TWITCH_CHANNELS: expected Twitch logins \(a-z, 0-9, _\) \(got "good,not a login"\)\n$/,
    ],
  ])(
    'stops at start with one line on %s',
    async (_what, env, line) => {
      const result = await runCli(['start', '--port', '0', '--host', '127.0.0.1'], {
        env: { ...twitch.env, ...env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
      });
      expect(result.stderr).toMatch(line);
      expect(result.code).not.toBe(0);
    },
    60_000,
  );
});

async function startProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; base: string }> {
  const port = await findFreePort();
  const child = spawn(
    process.execPath,
    [BIN, 'start', '--port', String(port), '--host', '127.0.0.1', ...args],
    {
      env: { ...withoutTwitch(process.env), LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  return { child, base: `http://127.0.0.1:${port}` };
}

/** The test's own environment minus any Twitch setting a developer may have exported. */
function withoutTwitch(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('TWITCH_')));
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

async function waitReady(at: string): Promise<void> {
  await poll(async () => ((await fetch(`${at}/ready`)).ok ? true : undefined), 60_000);
}

async function getJson<T>(path: string, at = base): Promise<T> {
  const response = await fetch(`${at}${path}`);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return (await response.json()) as T;
}

function metricValue(exposition: string, name: string): number {
  const line = exposition.split('\n').find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no ${name} in /metrics`);
  return Number(line.slice(name.length + 1));
}
