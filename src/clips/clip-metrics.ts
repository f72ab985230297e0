// Prometheus metrics of the clipper. Registered only where a clipper runs, on the process's
// registry; Twitch request latency (`twitch_api_latency_seconds`) is the Twitch client's.
import { Counter, Histogram, type Registry } from 'prom-client';

export class ClipMetrics {
  /** Clips confirmed by Get Clips and stored. */
  readonly created: Counter;
  /**
   * Moments above the clip threshold that got no clip, by reason: `not_clippable` (403 now or
   * within the block), `offline`, `too_late` (no call could still hold the peak), `rate_limited`,
   * `not_confirmed` (accepted, never shown by Get Clips), `unanswered`, `unauthorized`, `http_4xx`.
   */
  readonly failed: Counter<'reason'>;
  /** Seconds from the clip's start to the moment's peak: in [0, duration] the clip shows it. */
  readonly peakOffset: Histogram;

  constructor(registry: Registry) {
    this.created = new Counter({
      name: 'clips_created_success_total',
      help: 'Clips created on Twitch, confirmed and stored',
      registers: [registry],
    });
    this.failed = new Counter({
      name: 'clips_created_failed_total',
      help: 'Moments above the clip threshold that got no clip, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    });
    this.peakOffset = new Histogram({
      name: 'clip_peak_offset_seconds',
      help: "Seconds from a clip's start to its moment's peak (within the clip's duration: the clip shows the peak)",
      buckets: [-10, 0, 5, 10, 15, 20, 25, 30, 40, 50, 60, 90],
      registers: [registry],
    });
  }
}
