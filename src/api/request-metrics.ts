// Request durations into Prometheus, labelled by route pattern (`/api/v1/streams/:channel/metrics`),
// never by raw URL: one series per route, however many channels are asked for.
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../ops/metrics.ts';

export function recordRequestDurations(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequestSeconds.observe(
      { route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}
