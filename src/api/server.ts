// The HTTP server: REST API, WebSocket live feed, OpenAPI document and docs page, probes,
// Prometheus metrics and the web UI. Built here, listened on by the caller.
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from '../ops/logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { Store } from '../storage/store.ts';
import { registerErrorHandler } from './errors.ts';
import { LiveFeed } from './live-feed.ts';
import { registerOpenApi } from './openapi.ts';
import type { Readiness } from './readiness.ts';
import { recordRequestDurations } from './request-metrics.ts';
import { clipRoutes } from './routes/clips.ts';
import { healthRoutes } from './routes/health.ts';
import { liveRoutes } from './routes/live.ts';
import { momentRoutes } from './routes/moments.ts';
import { prometheusRoutes } from './routes/prometheus.ts';
import { streamRoutes } from './routes/streams.ts';
import { registerWebUi } from './web-ui.ts';

export interface ApiServerOptions {
  store: Store;
  metrics: Metrics;
  logger: Logger;
  readiness: Readiness;
  /** Folder of the built web UI (dist/web); without it `/` explains how to build it. */
  webRoot?: string;
}

export async function buildApiServer({
  store,
  metrics,
  logger,
  readiness,
  webRoot,
}: ApiServerOptions): Promise<FastifyInstance> {
  const baseLogger: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance: baseLogger,
    // One log line per request would drown everything else at a few thousand requests per second;
    // request counts and durations are in /metrics, failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  recordRequestDurations(app, metrics);

  await registerOpenApi(app);

  // Clients only listen: a small frame limit keeps anyone from making us buffer large uploads.
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  const feed = new LiveFeed({ store, metrics, logger });

  await app.register(healthRoutes(readiness));
  await app.register(prometheusRoutes(metrics));
  await app.register(streamRoutes(store));
  await app.register(momentRoutes(store));
  await app.register(clipRoutes(store));
  await app.register(liveRoutes(feed));
  await registerWebUi(app, webRoot);

  app.addHook('onClose', () => feed.stop());
  try {
    await feed.start();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
