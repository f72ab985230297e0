// Prometheus metrics: one registry per process, each role registers what it measures.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();

  readonly eventsIngested = new Counter({
    name: 'streamscout_events_ingested_total',
    help: 'Events published to the event log, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly eventsRejected = new Counter({
    name: 'streamscout_events_rejected_total',
    help: 'Malformed events skipped, by stage',
    labelNames: ['stage'] as const,
    registers: [this.registry],
  });
  readonly eventsProcessed = new Counter({
    name: 'streamscout_events_processed_total',
    help: 'Events consumed by the processor',
    registers: [this.registry],
  });
  readonly lateEvents = new Counter({
    name: 'streamscout_late_events_total',
    help: 'Events that arrived after their second was closed by the watermark',
    registers: [this.registry],
  });
  readonly momentsDetected = new Counter({
    name: 'streamscout_moments_detected_total',
    help: 'Moments detected',
    registers: [this.registry],
  });
  readonly consumerLag = new Gauge({
    name: 'streamscout_consumer_lag_records',
    help: 'Records in the event log not yet processed, by topic',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });
  readonly activeChannels = new Gauge({
    name: 'streamscout_active_channels',
    help: 'Channels the processor holds detection state for',
    registers: [this.registry],
  });
  readonly storageWriteSeconds = new Histogram({
    name: 'streamscout_storage_write_seconds',
    help: 'Time to write one batch of processing results to PostgreSQL',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly httpRequestSeconds = new Histogram({
    name: 'streamscout_http_request_seconds',
    help: 'HTTP request duration by route and status code',
    labelNames: ['route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly websocketClients = new Gauge({
    name: 'streamscout_websocket_clients',
    help: 'Connected live-feed WebSocket clients',
    registers: [this.registry],
  });

  constructor({ defaults = true }: { defaults?: boolean } = {}) {
    if (defaults) collectDefaultMetrics({ register: this.registry });
  }
}
