import { statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openText } from '../../src/events/jsonl.ts';
import {
  PROGRESS_MIN_BYTES,
  ProgressBar,
  fileBytesRead,
  renderProgress,
  wantsProgress,
  withProgress,
} from '../../src/cli/progress.ts';
import type { Moment } from '../../src/processing/moment.ts';
import { jsonLines, runCli } from '../support/cli.ts';
import {
  BURST_AT_S,
  STREAM_START_MS,
  burstExport,
  chatExport,
  exportComment,
} from '../support/twitchdownloader-export.ts';

let dir: string;
let exportText: string;
const paths = { json: '', gz: '', jsonl: '', big: '' };
const burst = burstExport();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'streamscout-detect-formats-'));
  exportText = JSON.stringify(burst.root);
  paths.json = join(dir, 'vod.json');
  paths.gz = join(dir, 'vod.json.gz');
  paths.jsonl = join(dir, 'chat.jsonl');
  paths.big = join(dir, 'big-vod.json');
  await writeFile(paths.json, exportText);
  await writeFile(paths.gz, gzipSync(exportText));
  await writeFile(
    paths.jsonl,
    JSON.stringify({
      v: 1,
      type: 'chat',
      id: 'x',
      channel_id: '42',
      channel: 'answer',
      user_id: 'u',
      user: 'u',
      text: 'hi',
      ts: STREAM_START_MS,
    }) + '\n',
  );
  const comments = Array.from({ length: 7000 }, (_, i) =>
    exportComment({ offset: i / 4, user: `viewer${i % 500}` }),
  );
  await writeFile(paths.big, JSON.stringify(chatExport(comments)));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const summary = (malformed: number) =>
  new RegExp(
    `^${burst.comments - malformed} events, 1 channels, 1 moments, ${malformed} malformed lines skipped, 0 late events$`,
    'm',
  );

describe('streamscout detect on TwitchDownloader exports', () => {
  it.each([
    ['plain, recognised by its opening', () => [paths.json]],
    ['gzip, recognised by its opening', () => [paths.gz]],
    ['with --format twitchdownloader', () => [paths.json, '--format', 'twitchdownloader']],
  ])('finds the planted moment (%s)', async (_how, args) => {
    const result = await runCli(['detect', ...args()]);
    expect(result.code, result.stderr).toBe(0);
    const moments = jsonLines<Moment>(result.stdout);
    expect(moments).toHaveLength(1);
    const burstStart = STREAM_START_MS + BURST_AT_S * 1000;
    expect(moments[0]).toMatchObject({ channel_id: '42', channel: 'answer' });
    expect(moments[0]!.start_ts).toBeGreaterThanOrEqual(burstStart - 5_000);
    expect(moments[0]!.start_ts).toBeLessThanOrEqual(burstStart + 5_000);
    expect(moments[0]!.explanation.top_emotes[0]).toMatchObject({ name: 'PogChamp' });
    expect(result.stderr).toMatch(summary(burst.malformed));
    expect(result.stderr).toMatch(/^skipped comments\[\d+\]\.commenter\._id: /m);
    expect(result.stderr).toMatch(/^skipped comments\[\d+\]\.content_offset_seconds: /m);
  });

  it('reads an export from standard input', async () => {
    const result = await runCli(['detect', '-', '--quiet'], { input: exportText });
    expect(result.code, result.stderr).toBe(0);
    expect(jsonLines(result.stdout)).toHaveLength(1);
  });

  it('still reads canonical JSONL by default', async () => {
    const result = await runCli(['detect', paths.jsonl]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('1 events, 1 channels, 0 moments, 0 malformed lines skipped');
  });

  it('ends with one line and a non-zero exit when the file is not an export', async () => {
    const result = await runCli(['detect', paths.jsonl, '--format', 'twitchdownloader']);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      `streamscout: detect: ${paths.jsonl} is not a TwitchDownloader chat export: it has no "comments" array`,
    ]);
  });

  it('rejects an unknown format', async () => {
    const result = await runCli(['detect', paths.json, '--format', 'csv']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Allowed choices are jsonl, twitchdownloader');
  });

  it('documents the formats and the automatic choice', async () => {
    const result = await runCli(['detect', '--help']);
    expect(result.stdout).toContain('twitchdownloader when the input');
    expect(result.stdout).toContain('progress bar');
  });

  it('draws no progress bar when stderr is not a terminal, even for a big file', async () => {
    expect(statSync(paths.big).size).toBeGreaterThan(PROGRESS_MIN_BYTES);
    const result = await runCli(['detect', paths.big]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/[\r\x1b]/);
    expect(result.stderr.trim().split('\n')).toEqual([
      '7000 events, 1 channels, 0 moments, 0 malformed lines skipped, 0 late events',
    ]);
  });
});

describe('progress bar', () => {
  function terminal(columns = 80) {
    const writes: string[] = [];
    return { writes, out: { isTTY: true, columns, write: (text: string) => writes.push(text) } };
  }

  it('is wanted only on a terminal, for a big file', () => {
    expect(wantsProgress({ isTTY: true, write: () => true }, PROGRESS_MIN_BYTES)).toBe(true);
    expect(wantsProgress({ isTTY: true, write: () => true }, PROGRESS_MIN_BYTES - 1)).toBe(false);
    expect(wantsProgress({ isTTY: false, write: () => true }, 10 * PROGRESS_MIN_BYTES)).toBe(false);
    expect(wantsProgress({ write: () => true }, 10 * PROGRESS_MIN_BYTES)).toBe(false);
  });

  it('renders the share read and the sizes within the terminal width', () => {
    expect(renderProgress(42e6, 100e6, 60)).toBe(
      `[${'█'.repeat(15)}${'░'.repeat(20)}]  42%  42.0 / 100.0 MB`,
    );
    expect(renderProgress(0, 5e6, 80)).toMatch(/^\[░{40}\]   0% {2}0\.0 \/ 5\.0 MB$/);
    expect(renderProgress(7e6, 5e6, 80)).toContain(' 100%  7.0 / 5.0 MB');
    for (const columns of [40, 60, 80, 200]) {
      expect(renderProgress(1, 2, columns).length).toBeLessThan(columns);
    }
  });

  it('redraws at most every 100 ms of the injected clock', () => {
    let now = 0;
    const { writes, out } = terminal();
    const bar = new ProgressBar({ total: 1000, out, now: () => now });
    for (const [time, done] of [
      [0, 0],
      [50, 100],
      [99, 200],
      [100, 300],
      [150, 400],
      [250, 500],
    ] as const) {
      now = time;
      bar.update(done);
    }
    expect(writes.map((text) => text.match(/\d+%/)![0])).toEqual(['0%', '30%', '50%']);
    expect(writes.every((text) => text.startsWith('\r') && text.endsWith('\x1b[K'))).toBe(true);
  });

  it('clears its line once, and only when drawn', () => {
    const { writes, out } = terminal();
    const bar = new ProgressBar({ total: 10, out, now: () => 0 });
    bar.clear();
    expect(writes).toEqual([]);
    bar.update(5);
    bar.clear();
    bar.clear();
    expect(writes.slice(1)).toEqual(['\r\x1b[K']);
  });

  it('follows the bytes read of the file, compressed or not, and clears at the end', async () => {
    const plain = await openText(paths.json);
    const gzip = await openText(paths.gz);
    const { writes, out } = terminal();
    let now = 0;
    for (const stream of [plain, gzip]) {
      const bytesRead = fileBytesRead(stream)!;
      const bar = new ProgressBar({ total: 1, out, now: () => (now += 1000) });
      let chunks = 0;
      for await (const _chunk of withProgress(stream, bar, bytesRead)) chunks += 1;
      expect(chunks).toBeGreaterThan(0);
      expect(writes.at(-1)).toBe('\r\x1b[K');
    }
    expect(fileBytesRead(plain)!()).toBe(statSync(paths.json).size);
    expect(fileBytesRead(gzip)!()).toBe(statSync(paths.gz).size);
    expect(fileBytesRead(new PassThrough())).toBeNull();
  });
});
