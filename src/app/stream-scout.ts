// Every role in one process: embedded mode, or all roles at once on Kafka. Source -> event
// log -> processor -> PostgreSQL -> API and web UI, started in pipeline order and stopped in
// reverse.
import type { Config } from '../config.ts';
import { buildApiServer } from '../api/server.ts';
import type { ReadinessCheck } from '../api/readiness.ts';
import { createLogger, type Logger } from '../ops/logger.ts';
import { Metrics } from '../ops/metrics.ts';
import { Processor } from '../processing/processor.ts';
import { EventPublisher } from '../sources/event-publisher.ts';
import { openStore } from '../storage/postgres-store.ts';
import { databaseServer } from './database-server.ts';
import { openEventLog } from './event-log.ts';
import { startClipping } from './clipping.ts';
import { startSource } from './source.ts';

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
  const metrics = new Metrics();
  // Each started part registers how to stop it; stopping runs them newest first, once.
  const stops: (() => Promise<void>)[] = [];
  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      for (const step of [...stops].reverse()) {
        await step().catch((error: unknown) =>
          logger.error({ err: error }, 'error while stopping'),
        );
      }
    })();
    return stopped;
  };

  try {
    const database = await databaseServer(config, logger);
    stops.push(() => database.stop());
    const store = await openStore({ url: database.url, logger });
    stops.push(() => store.close());

    const { log, kind: eventLog } = await openEventLog(config, { metrics, logger });
    stops.push(() => log.close());

    const clipper = await startClipping(config, { store, metrics, logger });
    if (clipper) stops.push(() => clipper.stop());

    const processor = new Processor({
      log,
      store,
      metrics,
      logger,
      engine: {
        detector: { latenessMs: config.detectorLatenessMs, threshold: config.detectorThreshold },
      },
      ...(clipper && { clips: { minScore: clipper.minScore, recorded: () => clipper.wake() } }),
    });
    await processor.start();
    stops.push(() => processor.stop());

    const source = await startSource(config, {
      publisher: new EventPublisher(log, metrics),
      metrics,
      logger,
      clock: dependencies.clock ?? Date.now,
    });
    stops.push(() => source.stop());

    const readiness = async (): Promise<ReadinessCheck[]> => [
      await databaseCheck(() => store.ping()),
      { name: 'pipeline', ok: processor.healthy, detail: processor.lastError },
    ];
    const api = await buildApiServer({
      store,
      metrics,
      logger,
      readiness,
      webRoot: config.webRoot,
    });
    stops.push(() => api.close());
    await api.listen({ port: config.httpPort, host: config.httpHost });
    const address = api.server.address();
    const port = typeof address === 'object' && address ? address.port : config.httpPort;
    const url = `http://${config.httpHost === '0.0.0.0' ? '127.0.0.1' : config.httpHost}:${port}`;
    logger.info(
      {
        url,
        database: database.embedded ? 'embedded' : 'external',
        eventLog,
        source: source.kind,
      },
      'Stream Scout is running',
    );
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function databaseCheck(ping: () => Promise<void>): Promise<ReadinessCheck> {
  try {
    await ping();
    return { name: 'database', ok: true };
  } catch (error) {
    return { name: 'database', ok: false, detail: (error as Error).message };
  }
}
