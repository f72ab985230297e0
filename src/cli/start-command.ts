// `streamscout start`: every role in one process (embedded mode).
import { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { startStreamScout } from '../app/stream-scout.ts';
import { createLogger } from '../ops/logger.ts';
import { stopOnSignals } from './stop-on-signals.ts';

interface StartOptions {
  port?: string;
  host?: string;
  dataDir?: string;
  channels?: string;
  simChannels?: string;
  seed?: string;
}

export function startCommand(): Command {
  return new Command('start')
    .description(
      'Run Stream Scout in one process: source (Twitch, or the simulator without Twitch settings), processing, PostgreSQL, API and web UI',
    )
    .option('--port <port>', 'HTTP port (env HTTP_PORT, default 5000)')
    .option('--host <host>', 'HTTP bind address (env HTTP_HOST, default 0.0.0.0)')
    .option(
      '--data-dir <dir>',
      'where embedded PostgreSQL keeps its data (env DATA_DIR, default ./data)',
    )
    .option(
      '--channels <logins>',
      'Twitch channels to read, comma-separated (env TWITCH_CHANNELS); without app credentials they are read anonymously',
    )
    .option('--sim-channels <n>', 'simulated channels (env SIMULATOR_CHANNELS, default 24)')
    .option('--seed <n>', 'simulator seed (env SIMULATOR_SEED, default 1)')
    .action(async (options: StartOptions) => {
      const config = loadConfig(process.env, {
        httpPort: options.port,
        httpHost: options.host,
        dataDir: options.dataDir,
        twitchChannels: options.channels,
        simulatorChannels: options.simChannels,
        simulatorSeed: options.seed,
      });
      const logger = createLogger(config.logLevel, config.logFormat);
      const app = await startStreamScout(config, { logger });
      process.stderr.write(`Stream Scout is running at ${app.url}  (Ctrl-C to stop)\n`);
      await stopOnSignals(() => app.stop(), logger);
    });
}
