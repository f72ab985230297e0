import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RejectTally, readEventsFile } from '../../../src/events/jsonl.ts';
import type { StreamEvent } from '../../../src/events/schema.ts';
import type { Highlight } from '../../../src/sources/simulator/highlights.ts';
import { simulateToFiles } from '../../../src/sources/simulator/write-files.ts';
import { START_TS, simulate } from './simulate.ts';

describe('simulateToFiles', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'streamscout-simulate-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the same events as the simulator, gzipped, and the planted highlights', async () => {
    const eventsPath = join(dir, 'chat.jsonl.gz');
    const truthPath = join(dir, 'truth.jsonl');
    const progress: number[] = [];
    const summary = await simulateToFiles({
      seed: 2,
      channels: 4,
      startTs: START_TS,
      durationS: 900,
      eventsPath,
      truthPath,
      highlightEveryS: { min: 120, max: 180 },
      onProgress: (doneMs, totalMs) => progress.push(doneMs / totalMs),
    });

    const expected = simulate(
      { seed: 2, channels: 4, highlightEveryS: { min: 120, max: 180 } },
      900,
    );
    const tally = new RejectTally();
    const written: StreamEvent[] = [];
    for await (const event of readEventsFile(eventsPath, tally)) written.push(event);
    expect(tally.count).toBe(0);
    expect(written).toEqual(expected.events);
    expect(summary).toEqual({
      events: expected.events.length,
      highlights: expect.any(Number),
      channels: 4,
    });
    expect(progress.at(-1)).toBe(1);

    const truth = (await readFile(truthPath, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Highlight);
    expect(truth.length).toBe(summary.highlights);
    expect(truth.length).toBeGreaterThan(3);
    // Only highlights complete within the run: a cut-off one is not in the data.
    expect(truth).toEqual(
      expected.simulator.highlights().filter((h) => h.end_ts <= START_TS + 900_000),
    );
    expect(Object.keys(truth[0] ?? {})).toEqual([
      'channel_id',
      'channel',
      'start_ts',
      'peak_ts',
      'end_ts',
      'intensity',
    ]);
  });

  it('gzips the truth too when its name ends in .gz, and skips it when no path is given', async () => {
    const truthPath = join(dir, 'truth.jsonl.gz');
    await simulateToFiles({
      seed: 3,
      channels: 2,
      startTs: START_TS,
      durationS: 600,
      eventsPath: join(dir, 'a.jsonl'),
      truthPath,
    });
    expect(gunzipSync(await readFile(truthPath)).toString('utf8')).toMatch(/^(\{.*\}\n)*$/);
    const summary = await simulateToFiles({
      seed: 3,
      channels: 2,
      startTs: START_TS,
      durationS: 60,
      eventsPath: join(dir, 'b.jsonl'),
    });
    expect(summary.events).toBeGreaterThan(0);
  });

  it('rejects a duration that is not a whole positive number of seconds', async () => {
    await expect(
      simulateToFiles({
        seed: 1,
        channels: 1,
        startTs: START_TS,
        durationS: 0,
        eventsPath: join(dir, 'c.jsonl'),
      }),
    ).rejects.toThrow(/durationS/);
  });
});
