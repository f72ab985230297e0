// Prometheus metrics of the Twitch source: discovery (Helix) and chat (IRC). They live on the process's one registry
// (`Metrics.registry`) but are registered here, so the Twitch source owns what it measures and
// roles that never talk to Twitch do not export empty series. Names are the ones the issue and
// the shipped dashboards use, without the `streamscout_` prefix.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class TwitchMetrics {
  /**
   * Failed Twitch API attempts, retried or not. `endpoint` is the path under the base address
   * (`streams`, `oauth2/token`); `status` is the HTTP status, or `network`, `timeout`,
   * `bad-response` when there was no usable answer.
   */
  readonly apiErrors: Counter<'endpoint' | 'status'>;
  /** Time from sending a Twitch API request to having its whole answer (or giving up on it). */
  readonly apiLatency: Histogram<'endpoint' | 'method'>;
  /** Live streams discovery currently knows about (the last successful poll's snapshot). */
  readonly activeStreams: Gauge;
  /** Discovery polls by outcome (`ok`, `failed`): a failed poll keeps the previous state. */
  readonly discoveryPolls: Counter<'outcome'>;
  /** Chat messages read from IRC and handed to the event log, duplicates excluded. */
  readonly chatMessages: Counter;
  /** Chat messages per second over the last 10 s, computed at scrape time (see readChatRateFrom). */
  readonly chatMessageRate: Gauge;
  /** Chat events dropped because the event log refused them for so long that the buffer filled. */
  readonly chatEventsDropped: Counter;
  /** IRC connections dialled again after a drop or Twitch's RECONNECT, by reason. */
  readonly ircReconnects: Counter<'reason'>;
  /** Channels whose JOIN Twitch confirmed, over all chat connections. */
  readonly ircJoinedChannels: Gauge;
  /** IRC lines that could not be read or mapped to an event, by reason. */
  readonly ircLinesRejected: Counter<'reason'>;
  private chatRateReader: (() => number) | undefined;

  private static readonly registered = new WeakMap<Registry, TwitchMetrics>();

  /**
   * The Twitch metrics on `registry`, registered on first use: the source and the clipper of
   * one process share them (a registry refuses a metric name twice).
   */
  static of(registry: Registry): TwitchMetrics {
    let metrics = TwitchMetrics.registered.get(registry);
    if (metrics === undefined) {
      metrics = new TwitchMetrics(registry);
      TwitchMetrics.registered.set(registry, metrics);
    }
    return metrics;
  }

  /** Registers on `registry`; a private registry by default, for tests and library use. */
  constructor(registry: Registry = new Registry()) {
    this.apiErrors = new Counter({
      name: 'twitch_api_errors_total',
      help: 'Failed Twitch API attempts (including retried ones), by endpoint and status',
      labelNames: ['endpoint', 'status'] as const,
      registers: [registry],
    });
    this.apiLatency = new Histogram({
      name: 'twitch_api_latency_seconds',
      help: 'Twitch Helix request latency, by endpoint and method',
      labelNames: ['endpoint', 'method'] as const,
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
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
    this.chatMessages = new Counter({
      name: 'chat_messages_total',
      help: 'Chat messages read from Twitch IRC and published, duplicates excluded',
      registers: [registry],
    });
    const readRate = (): number => this.chatRateReader?.() ?? 0;
    this.chatEventsDropped = new Counter({
      name: 'chat_events_dropped_total',
      help: 'Chat events dropped because the event log refused them until the buffer was full',
      registers: [registry],
    });
    this.chatMessageRate = new Gauge({
      name: 'chat_message_rate',
      help: 'Chat messages per second read from Twitch IRC over the last 10 s',
      registers: [registry],
      collect() {
        this.set(readRate());
      },
    });
    this.ircReconnects = new Counter({
      name: 'irc_reconnects_total',
      help: 'Twitch IRC connections dialled again, by reason (dropped, reconnect-requested)',
      labelNames: ['reason'] as const,
      registers: [registry],
    });
    this.ircJoinedChannels = new Gauge({
      name: 'irc_joined_channels',
      help: 'Channels joined (confirmed by Twitch) over all chat connections',
      registers: [registry],
    });
    this.ircLinesRejected = new Counter({
      name: 'irc_lines_rejected_total',
      help: 'Twitch IRC lines skipped because they could not be parsed or mapped, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    });
  }

  /** The chat side's rate source: the gauge asks it at every scrape, so it is never stale. */
  readChatRateFrom(reader: () => number): void {
    this.chatRateReader = reader;
  }
}
