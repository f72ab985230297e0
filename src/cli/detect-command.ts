// `streamscout detect FILE`: the live detection engine over a recorded chat log.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { Command, Option } from 'commander';
import { RejectTally, openText, readEventBatches, type RejectedLine } from '../events/jsonl.ts';
import type { StreamEvent } from '../events/schema.ts';
import {
  NotAnExportError,
  looksLikeTwitchDownloaderExport,
  readTwitchDownloaderEvents,
} from '../events/twitchdownloader.ts';
import type { DetectorParams } from '../processing/detector-params.ts';
import type { Moment } from '../processing/moment.ts';
import { detectMoments } from '../processing/offline-detection.ts';
import { ProgressBar, fileBytesRead, wantsProgress, withProgress } from './progress.ts';
import { UsageError } from './usage-error.ts';
import { writeLine } from './write-line.ts';

const FORMATS = ['jsonl', 'twitchdownloader'] as const;
type Format = (typeof FORMATS)[number];

interface DetectOptions {
  format?: Format;
  threshold?: number;
  lateness?: number;
  quiet?: boolean;
}

/** Malformed input reported one by one on stderr; the rest only in the summary's count. */
const REPORTED_REJECTS = 5;

export function detectCommand(): Command {
  return new Command('detect')
    .description(
      'Find moments in a recorded chat log: canonical events (JSONL) or a TwitchDownloader chat export (JSON), plain or gzip; prints one moment per line as JSON',
    )
    .argument('<file>', 'chat log, or - for standard input')
    .addOption(
      new Option(
        '--format <format>',
        'input format (default: twitchdownloader when the input starts with {"FileInfo": or {"streamer":, as TwitchDownloader exports do; else jsonl)',
      ).choices(FORMATS),
    )
    .option('--threshold <score>', 'score at which a moment opens', parseNumber('--threshold'))
    .option(
      '--lateness <ms>',
      'how late an event may arrive and still count',
      parseNumber('--lateness'),
    )
    .option('--quiet', 'do not print the summary on stderr')
    .addHelpText(
      'after',
      '\nA progress bar is shown on stderr while a file of 4 MB or more is read, when stderr is a terminal.\n',
    )
    .action(detect);
}

async function detect(file: string, options: DetectOptions): Promise<void> {
  if (file !== '-' && !existsSync(file)) throw new UsageError(`detect: no such file: ${file}`);
  const input = file === '-' ? process.stdin : await openText(file);
  const format = options.format ?? (await sniffFormat(input));
  const bar = await progressBarFor(file, input);
  // The bar shares the terminal with everything else written while it shows.
  const say = (line: string): void => {
    bar?.clear();
    process.stderr.write(`${line}\n`);
  };
  const rejected = new RejectTally((reject) => {
    if (rejected.count <= REPORTED_REJECTS) say(`skipped ${describeReject(format, reject)}`);
  });

  let events = readFormat(format, input, rejected, (note) => say(`detect: ${note}`));
  if (bar) events = withProgress(events, bar, fileBytesRead(input)!);
  const detection = detectMoments(events, { detector: detectorParams(options) });
  let found: number;
  try {
    found = await printMoments(detection.moments, bar);
  } catch (error) {
    throw explainFailure(error, file);
  }
  if (!options.quiet) {
    const { events: read, late, channels } = detection.counters();
    process.stderr.write(
      `${read} events, ${channels} channels, ${found} moments, ${rejected.count} malformed lines skipped, ${late} late events\n`,
    );
  }
}

function detectorParams(options: DetectOptions): Partial<DetectorParams> {
  return {
    ...(options.threshold !== undefined && { threshold: options.threshold }),
    ...(options.lateness !== undefined && { latenessMs: options.lateness }),
  };
}

async function printMoments(
  moments: AsyncIterable<Moment>,
  bar: ProgressBar | null,
): Promise<number> {
  let found = 0;
  for await (const moment of moments) {
    found += 1;
    bar?.clear();
    await writeLine(process.stdout, JSON.stringify(moment));
  }
  return found;
}

/** A file that turns out not to be an export is the caller's mistake: one line, naming it. */
function explainFailure(error: unknown, file: string): unknown {
  if (!(error instanceof NotAnExportError)) return error;
  const input = file === '-' ? 'standard input' : file;
  return new UsageError(`detect: ${input} is not a TwitchDownloader chat export: ${error.message}`);
}

function readFormat(
  format: Format,
  input: Readable,
  rejected: RejectTally,
  onNote: (note: string) => void,
): AsyncGenerator<StreamEvent | StreamEvent[]> {
  return format === 'twitchdownloader'
    ? readTwitchDownloaderEvents(input, { tally: rejected, onNote })
    : readEventBatches(input, rejected);
}

/** A JSONL line number means nothing in a one-object export: its reasons name the comment. */
function describeReject(format: Format, reject: RejectedLine): string {
  return format === 'twitchdownloader' ? reject.reason : `line ${reject.line}: ${reject.reason}`;
}

/**
 * Looks at the input's first chunk and puts it back. Only the opening is checked, so the choice
 * is cheap and predictable; `--format` overrides it.
 */
async function sniffFormat(input: Readable): Promise<Format> {
  await once(input, 'readable');
  const head: Buffer | null = input.read();
  if (head === null) return 'jsonl';
  input.unshift(head);
  return looksLikeTwitchDownloaderExport(head.toString('utf8', 0, 256))
    ? 'twitchdownloader'
    : 'jsonl';
}

async function progressBarFor(file: string, input: Readable): Promise<ProgressBar | null> {
  if (file === '-' || fileBytesRead(input) === null) return null;
  const { size } = await stat(file);
  return wantsProgress(process.stderr, size)
    ? new ProgressBar({ total: size, out: process.stderr })
    : null;
}

function parseNumber(flag: string) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isFinite(number))
      throw new UsageError(`${flag}: expected a number, got ${JSON.stringify(value)}`);
    return number;
  };
}
