// `streamscout`: one command, one subcommand per role or tool.
import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { ConfigError } from '../config.ts';
import { authCommand } from './auth-command.ts';
import { detectCommand } from './detect-command.ts';
import { migrateCommand } from './migrate-command.ts';
import { roleCommand } from './role-commands.ts';
import { simulateCommand } from './simulate-command.ts';
import { startCommand } from './start-command.ts';
import { UsageError } from './usage-error.ts';

const program = new Command()
  .name('streamscout')
  .description(
    'Watch Twitch live chat, find the moments that matter, explain streams and audiences.',
  )
  .version(packageJson.version)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program.addCommand(startCommand());
program.addCommand(roleCommand('monitor'));
program.addCommand(roleCommand('process'));
program.addCommand(roleCommand('serve'));
program.addCommand(simulateCommand());
program.addCommand(detectCommand());
program.addCommand(migrateCommand());
program.addCommand(authCommand());

// `streamscout detect log.jsonl | head` closes our stdout early: that is a normal end, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

/** One line a person can act on, and a non-zero exit; stack traces only for real bugs. */
function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof ConfigError || error instanceof UsageError) {
    process.stderr.write(`streamscout: ${error.message}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`streamscout: ${message}\n`);
  if (process.env.LOG_LEVEL === 'debug' && error instanceof Error)
    process.stderr.write(`${error.stack}\n`);
  return 1;
}
