// Clippers as separate processes on one database, wired as `streamscout start` wires them: two
// racing over the same moments make one clip each, and a clipper killed after Create Clip but
// before it could write the answer down leaves a clip that the next one finds, not makes again.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readUserTokenFile } from '../../src/sources/twitch/user-token-file.ts';
import { poll } from '../support/poll.ts';
import { CLIENT_ID, CLIENT_SECRET, startClipBench, type ClipBench } from './clip-test-kit.ts';

const RUN_CLIPPER = fileURLToPath(new URL('../support/run-clipper.ts', import.meta.url));

describe('clipper processes', () => {
  let bench: ClipBench;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    bench = await startClipBench();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
    await bench.close();
  });

  /** Everything each clipper process wrote, stdout and stderr. */
  const outputs: string[] = [];

  /** Starts a clipper process and waits until it is clipping. */
  async function clipperProcess(env: Record<string, string> = {}): Promise<ChildProcess> {
    const child = spawn(process.execPath, [RUN_CLIPPER], {
      env: {
        ...process.env,
        DATABASE_URL: bench.db.url,
        TWITCH_CLIENT_ID: CLIENT_ID,
        TWITCH_CLIENT_SECRET: CLIENT_SECRET,
        TWITCH_TOKEN_FILE: bench.tokenFile,
        TWITCH_API_BASE_URL: bench.helix.apiBaseUrl,
        TWITCH_AUTH_BASE_URL: bench.helix.authBaseUrl,
        CLIP_CHANNEL_COOLDOWN_S: '0',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    const index = outputs.push('') - 1;
    const collect = (chunk: string) => {
      output += chunk;
      outputs[index] = output;
    };
    child.stdout!.setEncoding('utf8').on('data', collect);
    child.stderr!.setEncoding('utf8').on('data', collect);
    await poll(async () => {
      if (child.exitCode !== null) throw new Error(`clipper exited: ${output}`);
      return output.includes('ready\n') ? true : undefined;
    }, 20_000).catch((error: unknown) => {
      throw new Error(`clipper did not start (${String(error)}): ${output}`);
    });
    return child;
  }

  async function settledAll(momentIds: string[]) {
    return poll(async () => {
      const attempts = await Promise.all(momentIds.map((id) => bench.attempt(id)));
      return attempts.every((attempt) => ['done', 'failed', 'skipped'].includes(attempt.state))
        ? attempts
        : undefined;
    }, 30_000);
  }

  it('two clippers racing over the same moments make exactly one clip per moment', async () => {
    // The token has expired: both refresh it at start, under the file's lock. Everything they
    // log (down to debug) is checked for secrets below.
    const issued = await readUserTokenFile(bench.tokenFile);
    bench.helix.expireToken(issued.access_token);
    await Promise.all([
      clipperProcess({ LOG_LEVEL: 'debug' }),
      clipperProcess({ LOG_LEVEL: 'debug' }),
    ]);
    const channels = ['alpha', 'beta', 'gamma'];
    const candidates = Array.from({ length: 9 }, (_, index) => {
      const login = channels[index % 3]!;
      return bench.candidate({
        channel_id: bench.channelId(login),
        channel: login,
        title: `moment number ${index}`,
      });
    });
    // Delivered twice, as a processor taking over a partition would.
    await bench.db.store.recordClipCandidates(candidates);
    await bench.db.store.recordClipCandidates(candidates);
    const attempts = await settledAll(candidates.map((candidate) => candidate.moment_id));

    expect(attempts.map((attempt) => attempt.state)).toEqual(Array(9).fill('done'));
    const titles = bench.helix.clips.calls.map((call) => call.query.title).sort();
    expect(titles).toEqual(candidates.map((candidate) => candidate.title).sort());
    const rows = await bench.clipRows();
    expect(rows).toHaveLength(9);
    expect(new Set(rows.map((row) => row.moment_id)).size).toBe(9);

    const logs = outputs.join('');
    expect(logs).toContain('Create Clip called');
    const refreshed = await readUserTokenFile(bench.tokenFile);
    for (const secret of [
      issued.access_token,
      issued.refresh_token,
      refreshed.access_token,
      refreshed.refresh_token,
      CLIENT_SECRET,
    ]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('a clipper killed after Create Clip, before storing the answer: the next one finds the clip', async () => {
    const first = await clipperProcess({ CLIP_LEASE_S: '2' });
    // Twitch makes the clip, but the answer never reaches the clipper: it dies waiting.
    bench.helix.clips.holdAnswers(1);
    bench.helix.clips.onCall(() => first.kill('SIGKILL'));
    const candidate = bench.candidate();
    await bench.db.store.recordClipCandidates([candidate]);
    await once(first, 'exit');
    expect(bench.helix.clips.calls).toHaveLength(1);
    expect((await bench.attempt(candidate.moment_id)).state).toBe('calling');

    await clipperProcess({ CLIP_LEASE_S: '2' });
    const [attempt] = await settledAll([candidate.moment_id]);
    expect(attempt!.state).toBe('done');
    expect(bench.helix.clips.calls).toHaveLength(1);
    const [made] = bench.helix.clips.all;
    expect(attempt!.clip_id).toBe(made!.id);
    expect(await bench.clipRows()).toEqual([{ clip_id: made!.id, moment_id: candidate.moment_id }]);
  });
});
