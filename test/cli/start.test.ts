// `streamscout start` as a user runs it: embedded PostgreSQL under --data-dir, moments served,
// Ctrl-C stops everything (PostgreSQL included), and a second start still has the moments.
// Each start runs in a process group of its own, as a shell runs a command: Ctrl-C in a
// terminal signals the whole group, PostgreSQL's server included unless it is kept apart.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/storage/free-port.ts';
import { poll } from '../support/poll.ts';

const BIN = fileURLToPath(new URL('../../bin/streamscout.js', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Logs at warn and above, which a clean run has none of. */
function start(dataDir: string, port: number): ChildProcess & { logs: () => string } {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', SIMULATOR_CHANNELS: '12' };
  delete env.DATABASE_URL;
  delete env.POSTGRES_URL;
  const child = spawn(
    process.execPath,
    [BIN, 'start', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  children.push(child);
  let logs = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (logs += chunk));
  return Object.assign(child, { logs: () => logs });
}

/** Ctrl-C in a terminal: SIGINT to every process of the foreground group. */
function pressCtrlC(child: ChildProcess): void {
  process.kill(-child.pid!, 'SIGINT');
}

async function moments(base: string): Promise<{ id: string; live: boolean }[] | undefined> {
  const response = await fetch(`${base}/api/v1/moments?limit=200`);
  const body = (await response.json()) as { moments: { id: string; live: boolean }[] };
  return body.moments.length > 0 ? body.moments : undefined;
}

/** PostgreSQL processes whose command line names this data folder. */
function postgresProcesses(dataDir: string): string[] {
  const listing = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return listing.split('\n').filter((line) => line.includes('postgres') && line.includes(dataDir));
}

describe('streamscout start', () => {
  it('serves moments, stops cleanly on Ctrl-C, and keeps them across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'streamscout-start-'));
    dirs.push(dataDir);
    const port = await findFreePort();
    const base = `http://127.0.0.1:${port}`;

    const first = start(dataDir, port);
    await poll(async () => ((await fetch(`${base}/ready`)).ok ? true : undefined), 60_000);
    const streams = (await (await fetch(`${base}/api/v1/streams`)).json()) as {
      streams: unknown[];
    };
    expect(streams.streams.length).toBeGreaterThan(0);
    const seen = await poll(() => moments(base), 90_000);
    expect(postgresProcesses(dataDir).length).toBeGreaterThan(0);

    pressCtrlC(first);
    const [code] = await once(first, 'exit');
    expect(code).toBe(0);
    expect(postgresProcesses(dataDir)).toEqual([]);
    // PostgreSQL outlived the pipeline's last flush: no connection was cut under it.
    expect(first.logs()).toBe('');

    const second = start(dataDir, port);
    const after = await poll(() => moments(base), 60_000);
    const ids = new Set(after.map((moment) => moment.id));
    for (const moment of seen) expect(ids.has(moment.id)).toBe(true);
    // What the first run left live ended with it: its in-process log took their chat along.
    const before = new Set(seen.map((moment) => moment.id));
    expect(after.filter((moment) => before.has(moment.id) && moment.live)).toEqual([]);
    second.kill('SIGTERM');
    const [secondCode] = await once(second, 'exit');
    expect(secondCode).toBe(0);
  }, 240_000);

  it('stops with one line on a bad setting', async () => {
    const child = spawn(process.execPath, [BIN, 'start', '--port', 'eighty'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'streamscout: --port: expected an integer from 0 to 65535 (got "eighty")\n',
    );
  });
});
