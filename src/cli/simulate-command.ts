// `streamscout simulate`: deterministic synthetic chat with planted highlights and their truth.
import { Command } from 'commander';
import { simulateToFiles } from '../sources/simulator/write-files.ts';
import { UsageError } from './usage-error.ts';

interface SimulateOptions {
  seed: string;
  channels: string;
  duration: string;
  start: string;
  out: string;
  truth?: string;
}

/** A fixed default start: the output depends only on the flags, not on when it ran. */
const DEFAULT_START = '2026-01-01T00:00:00Z';

export function simulateCommand(): Command {
  return new Command('simulate')
    .description(
      'Write simulated chat as JSONL (gzip when the name ends in .gz), and the planted highlights',
    )
    .option('--seed <n>', 'random seed: the same seed gives the same output', '1')
    .option('--channels <n>', 'number of channels', '20')
    .option('--duration <time>', 'simulated time, e.g. 600, 90s, 30m, 2h', '30m')
    .option('--start <iso>', 'start of the simulated time', DEFAULT_START)
    .option('--out <file>', 'events file, - for standard output', '-')
    .option('--truth <file>', 'where to write the planted highlights (JSONL)')
    .action(async (options: SimulateOptions) => {
      const summary = await simulateToFiles({
        seed: integer('--seed', options.seed, 0),
        channels: integer('--channels', options.channels, 1),
        durationS: parseDuration(options.duration),
        startTs: parseStart(options.start),
        eventsPath: options.out,
        truthPath: options.truth,
      });
      process.stderr.write(`${JSON.stringify(summary)}\n`);
    });
}

function integer(flag: string, value: string, min: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) {
    throw new UsageError(`${flag}: expected an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return number;
}

export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(value.trim());
  if (!match)
    throw new UsageError(
      `--duration: expected e.g. 600, 90s, 30m or 2h, got ${JSON.stringify(value)}`,
    );
  const unit = { s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}

function parseStart(value: string): number {
  const ts = Date.parse(value);
  if (Number.isNaN(ts))
    throw new UsageError(`--start: expected an ISO 8601 time, got ${JSON.stringify(value)}`);
  return ts;
}
