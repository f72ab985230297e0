// `streamscout detect FILE`: the live detection engine over a recorded chat log.
import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { RejectTally, openText, readEvents } from '../events/jsonl.ts';
import { detectMoments } from '../processing/offline-detection.ts';
import { UsageError } from './usage-error.ts';
import { writeLine } from './write-line.ts';

export function detectCommand(): Command {
  return new Command('detect')
    .description(
      'Find moments in a recorded chat log (JSONL, plain or gzip); prints one moment per line as JSON',
    )
    .argument('<file>', 'events file, or - for standard input')
    .addOption(new Option('--format <format>', 'input format').choices(['jsonl']).default('jsonl'))
    .option('--threshold <score>', 'score at which a moment opens', parseNumber('--threshold'))
    .option(
      '--lateness <ms>',
      'how late an event may arrive and still count',
      parseNumber('--lateness'),
    )
    .option('--quiet', 'do not print the summary on stderr')
    .action(
      async (file: string, options: { threshold?: number; lateness?: number; quiet?: boolean }) => {
        if (file !== '-' && !existsSync(file))
          throw new UsageError(`detect: no such file: ${file}`);
        const input = file === '-' ? process.stdin : await openText(file);
        const rejected = new RejectTally((line) => {
          if (rejected.count <= 5)
            process.stderr.write(`skipped line ${line.line}: ${line.reason}\n`);
        });
        const detection = detectMoments(readEvents(input, rejected), {
          detector: {
            ...(options.threshold !== undefined && { threshold: options.threshold }),
            ...(options.lateness !== undefined && { latenessMs: options.lateness }),
          },
        });
        let found = 0;
        for await (const moment of detection.moments) {
          found += 1;
          await writeLine(process.stdout, JSON.stringify(moment));
        }
        if (!options.quiet) {
          const { events, late, channels } = detection.counters();
          process.stderr.write(
            `${events} events, ${channels} channels, ${found} moments, ${rejected.count} malformed lines skipped, ${late} late events\n`,
          );
        }
      },
    );
}

function parseNumber(flag: string) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isFinite(number))
      throw new UsageError(`${flag}: expected a number, got ${JSON.stringify(value)}`);
    return number;
  };
}
