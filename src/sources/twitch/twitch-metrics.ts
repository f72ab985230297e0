// Prometheus metrics of the Twitch discovery side. They live on the process's one registry
// (`Metrics.registry`) but are registered here, so the Twitch source owns what it measures and
// roles that never talk to Twitch do not export empty series. Names are the ones the issue and
// the shipped dashboards use, without the `streamscout_` prefix.
import { Counter, Gauge, Registry } from 'prom-client';

export class TwitchMetrics {
  /**
   * Failed Twitch API attempts, retried or not. `endpoint` is the path under the base address
   * (`streams`, `oauth2/token`); `status` is the HTTP status, or `network`, `timeout`,
   * `bad-response` when there was no usable answer.
   */
  readonly apiErrors: Counter<'endpoint' | 'status'>;
  /** Live streams discovery currently knows about (the last successful poll's snapshot). */
  readonly activeStreams: Gauge;
  /** Discovery polls by outcome (`ok`, `failed`): a failed poll keeps the previous state. */
  readonly discoveryPolls: Counter<'outcome'>;

  /** Registers on `registry`; a private registry by default, for tests and library use. */
  constructor(registry: Registry = new Registry()) {
    this.apiErrors = new Counter({
      name: 'twitch_api_errors_total',
      help: 'Failed Twitch API attempts (including retried ones), by endpoint and status',
      labelNames: ['endpoint', 'status'] as const,
      registers: [registry],
    });
    this.activeStreams = new Gauge({
      name: 'active_stream_count',
      help: 'Live streams known to discovery after its last successful Get Streams poll',
      registers: [registry],
    });
    this.discoveryPolls = new Counter({
      name: 'stream_discovery_polls_total',
      help: 'Get Streams discovery polls, by outcome (ok, failed)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
  }
}
