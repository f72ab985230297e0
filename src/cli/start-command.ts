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
  seed?: string;
}

export function startCommand(): Command {
  return new Command('start')
    .description('Run Stream Scout in one process: source, processing, PostgreSQL, API and web UI')
    .option('--port <port>', 'HTTP port (env HTTP_PORT, default 5000)')
    .option('--host <host>', 'HTTP bind address (env HTTP_HOST, default 0.0.0.0)')
    .option(
      '--data-dir <dir>',
      'where embedded PostgreSQL keeps its data (env DATA_DIR, default ./data)',
    )
    .option('--channels <n>', 'simulated channels (env SIMULATOR_CHANNELS, default 24)')
    .option('--seed <n>', 'simulator seed (env SIMULATOR_SEED, default 1)')
    .action(async (options: StartOptions) => {
      const config = loadConfig(process.env, {
        httpPort: options.port,
        httpHost: options.host,
        dataDir: options.dataDir,
        simulatorChannels: options.channels,
        simulatorSeed: options.seed,
      });
      const logger = createLogger(config.logLevel, config.logFormat);
      if (process.env.TWITCH_CLIENT_ID) {
        logger.warn(
          'TWITCH_CLIENT_ID is set, but reading real Twitch chat is not built yet: using the simulator',
        );
      }
      const app = await startStreamScout(config, { logger });
      process.stderr.write(`Stream Scout is running at ${app.url}  (Ctrl-C to stop)\n`);
      await stopOnSignals(() => app.stop(), logger);
    });
}
