// `npm run eval`: detection quality of Stream Scout and of the reference rule on simulated chat,
// per seed and over all seeds. Flags (or environment variables) choose the simulations:
//   npm run eval -- --seeds 1-3,7 --channels 50 --duration 2h
import { Command, Option } from 'commander';
import { parseDuration } from '../src/cli/simulate-command.ts';
import { UsageError } from '../src/cli/usage-error.ts';
import type { Moment } from '../src/processing/moment.ts';
import {
  DETECTOR_LABELS,
  runSeed,
  scoreDetectors,
  type Detector,
  type DetectorScore,
  type SeedResult,
} from './compare-detectors.ts';

interface EvalOptions {
  seeds: string;
  channels: string;
  duration: string;
}

const DETECTORS: readonly Detector[] = ['streamScout', 'reference'];

const COLUMNS = [
  'seed',
  'detector',
  'highlights',
  'moments',
  'TP',
  'FP',
  'FN',
  'precision',
  'recall',
  'F1',
  'median delay (s)',
  'moments/ch-h',
  'time (s)',
];

async function main(argv: string[]): Promise<void> {
  const options = new Command('eval')
    .description('Compare Stream Scout and the reference rule on simulated chat')
    .addOption(
      new Option('--seeds <list>', 'seeds, e.g. 1-5 or 1,4,9').env('EVAL_SEEDS').default('1-5'),
    )
    .addOption(
      new Option('--channels <n>', 'channels per simulation').env('EVAL_CHANNELS').default('30'),
    )
    .addOption(
      new Option('--duration <time>', 'simulated time per seed, e.g. 600, 30m, 2h')
        .env('EVAL_DURATION')
        .default('60m'),
    )
    .parse(argv)
    .opts<EvalOptions>();
  const seeds = parseSeeds(options.seeds);
  const channels = parseChannels(options.channels);
  const durationS = parseDuration(options.duration);
  if (durationS < 1)
    throw new UsageError(`--duration: expected at least 1 s, got ${options.duration}`);

  console.log(
    `Simulated chat, default simulator options: seeds ${options.seeds}, ${channels} channels, ` +
      `${formatDuration(durationS)} each. Truth: planted highlights that end within the run; a ` +
      `moment matches an overlapping highlight of its channel (5 s slack).\n`,
  );
  const started = performance.now();
  const results: SeedResult[] = [];
  for (const seed of seeds) {
    results.push(await runSeed({ seed, channels, durationS }));
    process.stderr.write(`seed ${seed} done\n`);
  }
  const rows = [
    ...results.flatMap((result) =>
      scoreRows(String(result.seed), result.highlights.length, scoreDetectors([result]), result),
    ),
    ...scoreRows('all', totalHighlights(results), scoreDetectors(results), {
      elapsedMs: performance.now() - started,
    }),
  ];
  console.log(formatTable([COLUMNS, ...rows]));
  console.log(`\nOur moments by least score (CLIP_MIN_SCORE: which moments are clipped):\n`);
  console.log(formatTable(scoreThresholdRows(results)));
  const events = results.reduce((sum, result) => sum + result.events, 0);
  console.log(
    `\n${events.toLocaleString('en-US')} events in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s (simulation and both detectors).`,
  );
}

function scoreRows(
  label: string,
  highlights: number,
  scores: Record<Detector, DetectorScore>,
  timing: { elapsedMs: number },
): string[][] {
  return DETECTORS.map((detector, index) => {
    const { quality, moments, momentsPerChannelHour } = scores[detector];
    const first = index === 0;
    return [
      first ? label : '',
      DETECTOR_LABELS[detector],
      first ? String(highlights) : '',
      String(moments),
      String(quality.truePositives),
      String(quality.falsePositives),
      String(quality.falseNegatives),
      quality.precision.toFixed(3),
      quality.recall.toFixed(3),
      quality.f1.toFixed(3),
      quality.medianDelayMs === null ? '-' : (quality.medianDelayMs / 1000).toFixed(1),
      momentsPerChannelHour.toFixed(2),
      first ? (timing.elapsedMs / 1000).toFixed(1) : '',
    ];
  });
}

/** Precision of our moments scoring at least each level, and the share of highlights they keep. */
function scoreThresholdRows(results: readonly SeedResult[]): string[][] {
  const rows = [['least score', 'moments', 'precision', 'recall']];
  for (const least of [4, 5, 6, 7, 8, 9, 10]) {
    const kept = results.map((result) => ({
      ...result,
      moments: {
        ...result.moments,
        streamScout: (result.moments.streamScout as Moment[]).filter((m) => m.score >= least),
      },
    }));
    const { quality, moments } = scoreDetectors(kept).streamScout;
    rows.push([
      String(least),
      String(moments),
      quality.precision.toFixed(3),
      quality.recall.toFixed(3),
    ]);
  }
  return rows;
}

function totalHighlights(results: readonly SeedResult[]): number {
  return results.reduce((sum, result) => sum + result.highlights.length, 0);
}

/** Text left-aligned, numbers right-aligned, columns two spaces apart. */
function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const textColumns = new Set([0, 1]);
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          textColumns.has(column) ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** "1-5", "1,4,9" or a mix ("1-3,7"): distinct non-negative integers, in the order given. */
function parseSeeds(value: string): number[] {
  const seeds = new Set<number>();
  for (const part of value.split(',')) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const from = Number(match?.[1]);
    const to = Number(match?.[2] ?? match?.[1]);
    if (!match || to < from) {
      throw new UsageError(`--seeds: expected e.g. 1-5 or 1,4,9, got ${JSON.stringify(value)}`);
    }
    for (let seed = from; seed <= to; seed++) seeds.add(seed);
  }
  return [...seeds];
}

function parseChannels(value: string): number {
  const channels = Number(value);
  if (!Number.isInteger(channels) || channels < 1) {
    throw new UsageError(`--channels: expected an integer >= 1, got ${JSON.stringify(value)}`);
  }
  return channels;
}

function formatDuration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

try {
  await main(process.argv);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`eval: ${error.message}\n`);
  process.exitCode = 2;
}
