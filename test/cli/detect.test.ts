import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateDetections, type Span } from '../../src/processing/evaluate-detections.ts';
import type { Moment } from '../../src/processing/moment.ts';
import { jsonLines, runCli } from '../support/cli.ts';

let dir: string;
let eventsPath: string;
let truthPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'streamscout-detect-'));
  eventsPath = join(dir, 'chat.jsonl.gz');
  truthPath = join(dir, 'truth.jsonl');
  const simulated = await runCli([
    'simulate',
    '--seed',
    '11',
    '--channels',
    '20',
    '--duration',
    '40m',
    '--out',
    eventsPath,
    '--truth',
    truthPath,
  ]);
  expect(simulated.code, simulated.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('streamscout detect', () => {
  it('finds the planted highlights of a simulated chat log', async () => {
    const result = await runCli(['detect', eventsPath]);
    expect(result.code, result.stderr).toBe(0);
    const moments = jsonLines<Moment>(result.stdout);
    const truth = jsonLines<Span>(await readFile(truthPath, 'utf8'));
    expect(truth.length).toBeGreaterThan(50);

    const quality = evaluateDetections(moments, truth);
    expect(quality.precision).toBeGreaterThanOrEqual(0.8);
    expect(quality.recall).toBeGreaterThanOrEqual(0.7);

    for (const moment of moments) {
      expect(Object.keys(moment)).toEqual(
        expect.arrayContaining([
          'channel_id',
          'channel',
          'start_ts',
          'peak_ts',
          'end_ts',
          'score',
          'explanation',
        ]),
      );
      expect(moment.start_ts).toBeLessThanOrEqual(moment.peak_ts);
      expect(moment.peak_ts).toBeLessThan(moment.end_ts);
    }
    expect(result.stderr).toMatch(
      /\d+ events, 20 channels, \d+ moments, 0 malformed lines skipped/,
    );
  }, 120_000);

  it('gives the same moments on a second run (deterministic ids)', async () => {
    const [first, second] = await Promise.all([
      runCli(['detect', eventsPath, '--quiet']),
      runCli(['detect', eventsPath, '--quiet']),
    ]);
    expect(first.stdout).toBe(second.stdout);
  }, 120_000);

  it('skips and counts malformed lines, and keeps going', async () => {
    const path = join(dir, 'mixed.jsonl');
    const good = (second: number, user: string) =>
      JSON.stringify({
        v: 1,
        type: 'chat',
        id: `${second}-${user}`,
        channel_id: '42',
        channel: 'answer',
        user_id: user,
        user,
        text: 'hi',
        ts: 1_700_000_000_000 + second * 1000,
      });
    const lines = [
      good(0, 'a'),
      '{not json',
      JSON.stringify({ v: 1, type: 'chat', channel_id: '42' }),
      good(1, 'b'),
      JSON.stringify({ v: 99, type: 'chat' }),
      good(2, 'c'),
    ];
    await writeFile(path, lines.join('\n') + '\n');
    const result = await runCli(['detect', path]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('skipped line 2: invalid JSON');
    expect(result.stderr).toMatch(/skipped line 3: \w+/);
    expect(result.stderr).toContain('3 events, 1 channels, 0 moments, 3 malformed lines skipped');
  });

  it('reads events from standard input', async () => {
    const line = JSON.stringify({
      v: 1,
      type: 'chat',
      id: 'x',
      channel_id: '42',
      channel: 'answer',
      user_id: 'u',
      user: 'u',
      text: 'hi',
      ts: 1_700_000_000_000,
    });
    const result = await runCli(['detect', '-'], { input: `${line}\n` });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('1 events, 1 channels, 0 moments');
  });

  it('ends with one line and a non-zero exit on a missing file or a bad flag', async () => {
    const missing = await runCli(['detect', join(dir, 'nope.jsonl')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toEqual([
      `streamscout: detect: no such file: ${join(dir, 'nope.jsonl')}`,
    ]);

    const badFlag = await runCli(['detect', eventsPath, '--threshold', 'high']);
    expect(badFlag.code).not.toBe(0);
    expect(badFlag.stderr).toContain('--threshold: expected a number');
  });
});

describe('streamscout simulate', () => {
  it('is deterministic by seed', async () => {
    const args = ['simulate', '--seed', '5', '--channels', '3', '--duration', '2m'];
    const [first, second, other] = await Promise.all([
      runCli(args),
      runCli(args),
      runCli([...args.slice(0, 2), '6', ...args.slice(3)]),
    ]);
    expect(first.code).toBe(0);
    expect(first.stdout.length).toBeGreaterThan(1000);
    expect(first.stdout).toBe(second.stdout);
    expect(other.stdout).not.toBe(first.stdout);
  });

  it('rejects a bad duration with one line', async () => {
    const result = await runCli(['simulate', '--duration', 'forever']);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      'streamscout: --duration: expected e.g. 600, 90s, 30m or 2h, got "forever"',
    );
  });
});

describe('streamscout --version and --help', () => {
  it('prints the version', async () => {
    const result = await runCli(['--version']);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each(['start', 'simulate', 'detect', 'migrate'])('documents %s', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: streamscout ${command}`);
  });
});
