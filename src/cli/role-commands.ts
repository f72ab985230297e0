// `streamscout monitor`, `streamscout process`, `streamscout serve`: one role per process, for
// the distributed mode (`start` runs them all in one process).
import { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { startRole } from '../app/role-process.ts';
import type { RoleName } from '../app/roles.ts';
import { createLogger } from '../ops/logger.ts';
import { stopOnSignals } from './stop-on-signals.ts';

interface RoleOptions {
  port?: string;
  host?: string;
  dataDir?: string;
  metricsPort?: string;
  channels?: string;
  simChannels?: string;
  seed?: string;
}

const DESCRIPTIONS: Record<RoleName, string> = {
  monitor:
    'Read Twitch (or the simulator without Twitch settings) and publish the events to Kafka (needs KAFKA_BROKERS)',
  process:
    'Consume Kafka, detect moments, write them to PostgreSQL, clip them when configured (needs KAFKA_BROKERS); run any number',
  serve: 'Serve the API and web UI from PostgreSQL (DATABASE_URL, or the embedded one)',
};

export function roleCommand(role: RoleName): Command {
  const command = new Command(role).description(DESCRIPTIONS[role]);
  if (role === 'serve')
    command
      .option('--port <port>', 'HTTP port (env HTTP_PORT, default 5000)')
      .option('--host <host>', 'HTTP bind address (env HTTP_HOST, default 0.0.0.0)');
  else
    command
      .option(
        '--metrics-port <port>',
        'port of /health, /ready and /metrics (env METRICS_PORT; 0 = any free port; default none)',
      )
      .option('--host <host>', 'bind address of that port (env HTTP_HOST, default 0.0.0.0)');
  if (role !== 'monitor')
    command.option(
      '--data-dir <dir>',
      'where embedded PostgreSQL keeps its data without DATABASE_URL (env DATA_DIR, default ./data)',
    );
  if (role === 'monitor')
    command
      .option(
        '--channels <logins>',
        'Twitch channels to read, comma-separated (env TWITCH_CHANNELS)',
      )
      .option('--sim-channels <n>', 'simulated channels (env SIMULATOR_CHANNELS, default 24)')
      .option('--seed <n>', 'simulator seed (env SIMULATOR_SEED, default 1)');
  return command.action(async (options: RoleOptions) => {
    const config = loadConfig(process.env, {
      httpPort: options.port,
      httpHost: options.host,
      dataDir: options.dataDir,
      metricsPort: options.metricsPort,
      twitchChannels: options.channels,
      simulatorChannels: options.simChannels,
      simulatorSeed: options.seed,
    });
    const logger = createLogger(config.logLevel, config.logFormat);
    const running = await startRole(role, config, { logger });
    const at = running.url === undefined ? '' : ` at ${running.url}`;
    process.stderr.write(`Stream Scout ${role} is running${at}  (Ctrl-C to stop)\n`);
    await stopOnSignals(() => running.stop(), logger);
  });
}
