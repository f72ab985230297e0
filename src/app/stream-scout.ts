// Every role in one process (`streamscout start`): embedded mode, or all roles at once on Kafka
// when KAFKA_BROKERS is set. Source -> event log -> processor -> PostgreSQL -> API and web UI,
// started in pipeline order and stopped in reverse. `streamscout monitor | process | serve`
// run the same roles one per process (role-process.ts).
import type { Config } from '../config.ts';
import { createLogger, type Logger } from '../ops/logger.ts';
import { Metrics } from '../ops/metrics.ts';
import { openEventLog } from './event-log.ts';
import {
  openStorage,
  startMonitoring,
  startProcessing,
  startServing,
  Stops,
  type RoleContext,
} from './roles.ts';

export interface RunningStreamScout {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:5000 */
  url: string;
  stop(): Promise<void>;
}

export interface StreamScoutDependencies {
  logger?: Logger;
  /** Wall clock of the simulated source; tests may pin it. */
  clock?: () => number;
}

export async function startStreamScout(
  config: Config,
  dependencies: StreamScoutDependencies = {},
): Promise<RunningStreamScout> {
  const logger = dependencies.logger ?? createLogger(config.logLevel, config.logFormat);
  const context: RoleContext = { config, metrics: new Metrics(), logger, stops: new Stops(logger) };
  const { stops } = context;
  try {
    const { store, embedded } = await openStorage(context);
    const { log, kind: eventLog } = await openEventLog(config, context);
    stops.push(() => log.close());
    if (eventLog === 'in-process') {
      // Moments a previous run left open (live rows) went with its in-process log: they end now.
      const ended = await store.endLiveMoments();
      if (ended > 0) logger.info({ moments: ended }, 'moments left open by the last run ended');
    }
    const processor = await startProcessing(context, { log, store });
    const source = await startMonitoring(context, {
      log,
      clock: dependencies.clock ?? Date.now,
    });
    const { url } = await startServing(context, {
      store,
      checks: [() => ({ name: 'pipeline', ok: processor.healthy, detail: processor.lastError })],
    });
    logger.info(
      { url, database: embedded ? 'embedded' : 'external', eventLog, source: source.kind },
      'Stream Scout is running',
    );
    return { url, stop: stops.stop };
  } catch (error) {
    await stops.stop();
    throw error;
  }
}
