// One role per process: `streamscout monitor`, `process` or `serve`. Monitor and process talk
// through Kafka only, so they need KAFKA_BROKERS; serve needs only the database (DATABASE_URL,
// or the embedded one), and keeps serving whatever happens to the others.
import type { Config } from '../config.ts';
import { createLogger, type Logger } from '../ops/logger.ts';
import { Metrics } from '../ops/metrics.ts';
import { openEventLog } from './event-log.ts';
import {
  databaseCheck,
  openStorage,
  startMonitoring,
  startOperationsHttp,
  startProcessing,
  startServing,
  Stops,
  type RoleContext,
  type RoleName,
} from './roles.ts';

export interface RunningRole {
  role: RoleName;
  /** The API (serve), or the /health, /ready and /metrics port (monitor, process) if any. */
  url: string | undefined;
  stop(): Promise<void>;
}

export class RoleConfigError extends Error {
  override name = 'RoleConfigError';
}

export async function startRole(
  role: RoleName,
  config: Config,
  dependencies: { logger?: Logger; clock?: () => number } = {},
): Promise<RunningRole> {
  if (role !== 'serve' && config.kafkaBrokers.length === 0)
    throw new RoleConfigError(
      `${role} needs KAFKA_BROKERS: separate processes share the event log only through Kafka (or run everything in one process with streamscout start)`,
    );
  const logger = (dependencies.logger ?? createLogger(config.logLevel, config.logFormat)).child({
    role,
  });
  const context: RoleContext = { config, metrics: new Metrics(), logger, stops: new Stops(logger) };
  const { stops } = context;
  try {
    const url = await wire(role, context, dependencies.clock ?? Date.now);
    logger.info({ url }, `Stream Scout ${role} is running`);
    return { role, url, stop: stops.stop };
  } catch (error) {
    await stops.stop();
    throw error;
  }
}

async function wire(
  role: RoleName,
  context: RoleContext,
  clock: () => number,
): Promise<string | undefined> {
  const { config, stops } = context;
  if (role === 'serve') {
    const { store } = await openStorage(context);
    return (await startServing(context, { store })).url;
  }
  if (role === 'monitor') {
    const { log } = await openEventLog(config, context);
    stops.push(() => log.close());
    const source = await startMonitoring(context, { log, clock });
    context.logger.info({ source: source.kind }, 'publishing events to Kafka');
    return startOperationsHttp(context, async () => [{ name: 'source', ok: true }]);
  }
  const { store } = await openStorage(context);
  const { log } = await openEventLog(config, context);
  stops.push(() => log.close());
  const processor = await startProcessing(context, { log, store });
  return startOperationsHttp(context, async () => [
    await databaseCheck(() => store.ping()),
    { name: 'pipeline', ok: processor.healthy, detail: processor.lastError },
  ]);
}
