// The demo source of embedded mode: the simulator played in real time. It first backfills a
// few minutes of history at full speed, so baselines are warm and the dashboard has a past.
// A publish the log refuses is kept and tried again after a growing delay (as PublishQueue does
// for Twitch); meanwhile time does not advance for the simulation, which catches up afterwards.
import type { StreamEvent } from '../events/schema.ts';
import type { Logger } from '../ops/logger.ts';
import type { EventSink } from './publish-queue.ts';
import { ChatSimulator } from './simulator/chat-simulator.ts';
import { backoffDelay, DEFAULT_BACKOFF } from './twitch/backoff.ts';
import { sleep } from '../ops/sleep.ts';

export interface LiveSimulationOptions {
  publisher: EventSink;
  seed: number;
  channels: number;
  backfillS: number;
  clock: () => number;
  logger: Logger;
  /** How often new events are generated up to "now". */
  tickMs?: number;
  /** Delay before the n-th retry in a row of a failed publish (n from 1). Default 0.5-30 s, jittered. */
  retryDelayMs?: (attempt: number) => number;
}

/** Backfill (and catching up after the log was away) in slices, so the processor can interleave. */
const SLICE_MS = 10_000;

const defaultRetryDelayMs = (attempt: number): number =>
  backoffDelay(attempt, DEFAULT_BACKOFF, Math.random);

/** Events generated up to `until` that the log has not taken yet. */
interface Unpublished {
  until: number;
  events: StreamEvent[];
}

/**
 * A demo should show what the product does within a minute: highlights come more often than on
 * real Twitch, and start once the detector has warmed up (30 s) rather than after 5 minutes.
 */
const DEMO_HIGHLIGHTS = { highlightEveryS: { min: 120, max: 480 }, highlightWarmupS: 60 } as const;

export class LiveSimulation {
  private readonly options: LiveSimulationOptions;
  private readonly simulator: ChatSimulator;
  private readonly abort = new AbortController();
  private cursor: number;
  private unpublished: Unpublished | null = null;
  private failures = 0;
  private running: Promise<void> | null = null;

  constructor(options: LiveSimulationOptions) {
    this.options = options;
    this.cursor = Math.floor((options.clock() - options.backfillS * 1000) / 1000) * 1000;
    this.simulator = new ChatSimulator({
      seed: options.seed,
      channels: options.channels,
      startTs: this.cursor,
      ...DEMO_HIGHLIGHTS,
    });
  }

  start(): void {
    this.running = this.run().catch((error: unknown) => {
      this.options.logger.error({ err: error }, 'simulated source stopped');
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    const { clock, logger } = this.options;
    await this.publishThrough(clock());
    logger.info({ channels: this.options.channels }, 'simulated chat is live');
    while (!this.abort.signal.aborted) {
      await sleep(this.options.tickMs ?? 250, this.abort.signal);
      await this.publishThrough(clock());
    }
  }

  private async publishThrough(until: number): Promise<void> {
    while (this.cursor < until && !this.abort.signal.aborted) {
      await this.publishSlice(Math.min(this.cursor + SLICE_MS, until));
    }
  }

  /** Publishes the events up to `until`, or the ones a failed publish left, then moves on. */
  private async publishSlice(until: number): Promise<void> {
    // The simulator only moves forward: a refused slice is kept, not generated again.
    this.unpublished ??= { until, events: [...this.simulator.events(this.cursor, until)] };
    try {
      await this.options.publisher.publish(this.unpublished.events);
    } catch (error) {
      this.failures += 1;
      const retryInMs = (this.options.retryDelayMs ?? defaultRetryDelayMs)(this.failures);
      this.options.logger.error(
        { err: error, events: this.unpublished.events.length, retryInMs },
        'publishing simulated events failed; keeping them and retrying',
      );
      await sleep(retryInMs, this.abort.signal);
      return;
    }
    this.cursor = this.unpublished.until;
    this.unpublished = null;
    this.failures = 0;
  }
}
