// The roles of Stream Scout, each wired on its own so that `start` can run them all in one
// process and `streamscout monitor | process | serve` one per process:
//   monitor: source -> event log
//   process: event log -> detection engine -> PostgreSQL (+ the clipper when configured, since
//            the processor records the clip candidates)
//   serve:   PostgreSQL -> API and web UI
// Each started part registers how to stop it in `Stops`; stopping runs them newest first.
import { createServer } from 'node:http';
import type { Config } from '../config.ts';
import { buildApiServer } from '../api/server.ts';
import type { ReadinessCheck } from '../api/readiness.ts';
import type { EventLog } from '../log/event-log.ts';
import type { Logger } from '../ops/logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import { Processor } from '../processing/processor.ts';
import { EventPublisher } from '../sources/event-publisher.ts';
import { openStore, type PostgresStore } from '../storage/postgres-store.ts';
import { databaseServer } from './database-server.ts';
import { startClipping } from './clipping.ts';
import { startSource, type RunningSource } from './source.ts';

export type RoleName = 'monitor' | 'process' | 'serve';

/** Stop steps of a process, run newest first, once, each failure logged and passed over. */
export class Stops {
  private readonly steps: (() => Promise<void>)[] = [];
  private readonly logger: Logger;
  private stopped: Promise<void> | null = null;

  constructor(logger: Logger) {
    this.logger = logger;
  }

  push(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  readonly stop = (): Promise<void> => {
    this.stopped ??= (async () => {
      for (const step of [...this.steps].reverse()) {
        await step().catch((error: unknown) =>
          this.logger.error({ err: error }, 'error while stopping'),
        );
      }
    })();
    return this.stopped;
  };
}

export interface RoleContext {
  config: Config;
  metrics: Metrics;
  logger: Logger;
  stops: Stops;
}

export interface Storage {
  store: PostgresStore;
  embedded: boolean;
}

/** The PostgreSQL of DATABASE_URL, or the embedded one under the data folder; migrated. */
export async function openStorage({ config, logger, stops }: RoleContext): Promise<Storage> {
  const database = await databaseServer(config, logger);
  stops.push(() => database.stop());
  const store = await openStore({ url: database.url, logger });
  stops.push(() => store.close());
  return { store, embedded: database.embedded };
}

/** monitor: the configured source (Twitch or the simulator) publishing to the event log. */
export async function startMonitoring(
  context: RoleContext,
  { log, clock }: { log: EventLog; clock: () => number },
): Promise<RunningSource> {
  const { config, metrics, logger, stops } = context;
  const source = await startSource(config, {
    publisher: new EventPublisher(log, metrics),
    metrics,
    logger,
    clock,
  });
  stops.push(() => source.stop());
  return source;
}

/** process: the processor over the event log, writing to storage, and the clipper if any. */
export async function startProcessing(
  context: RoleContext,
  { log, store }: { log: EventLog; store: PostgresStore },
): Promise<Processor> {
  const { config, metrics, logger, stops } = context;
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
  return processor;
}

/** serve: the API and the web UI over storage; `url` is where it listens. */
export async function startServing(
  context: RoleContext,
  { store, checks = [] }: { store: PostgresStore; checks?: (() => ReadinessCheck)[] },
): Promise<{ url: string }> {
  const { config, metrics, logger, stops } = context;
  const api = await buildApiServer({
    store,
    metrics,
    logger,
    readiness: async () => [
      await databaseCheck(() => store.ping()),
      ...checks.map((check) => check()),
    ],
    webRoot: config.webRoot,
  });
  stops.push(() => api.close());
  await api.listen({ port: config.httpPort, host: config.httpHost });
  const address = api.server.address();
  const port = typeof address === 'object' && address ? address.port : config.httpPort;
  return { url: urlOf(config.httpHost, port) };
}

/**
 * `monitor` and `process` have no API: with METRICS_PORT they answer /health, /live, /ready
 * (503 with the failing checks) and /metrics (Prometheus) on it, and nothing else.
 */
export async function startOperationsHttp(
  context: RoleContext,
  readiness: () => Promise<ReadinessCheck[]>,
): Promise<string | undefined> {
  const { config, metrics, stops } = context;
  if (config.metricsPort === undefined) return undefined;
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'GET') return json(405, { error: 'method_not_allowed' });
    if (path === '/health' || path === '/live') return json(200, { status: 'ok' });
    if (path === '/ready') {
      readiness().then(
        (checks) => {
          const ok = checks.every((check) => check.ok);
          json(ok ? 200 : 503, { status: ok ? 'ready' : 'not_ready', checks });
        },
        (error: unknown) => json(503, { status: 'not_ready', detail: String(error) }),
      );
      return;
    }
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => {
          response.writeHead(200, { 'content-type': metrics.registry.contentType });
          response.end(text);
        },
        (error: unknown) => json(500, { error: String(error) }),
      );
      return;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.metricsPort, config.httpHost, () => resolve());
  });
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.metricsPort;
  return urlOf(config.httpHost, port);
}

export async function databaseCheck(ping: () => Promise<void>): Promise<ReadinessCheck> {
  try {
    await ping();
    return { name: 'database', ok: true };
  } catch (error) {
    return { name: 'database', ok: false, detail: (error as Error).message };
  }
}

function urlOf(host: string, port: number): string {
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
}
