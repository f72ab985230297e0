// The demo source of embedded mode: the simulator played in real time. It first backfills a
// few minutes of history at full speed, so baselines are warm and the dashboard has a past.
import type { Logger } from '../ops/logger.ts';
import type { EventPublisher } from './event-publisher.ts';
import { ChatSimulator } from './simulator/chat-simulator.ts';
import { sleep } from '../ops/sleep.ts';

export interface LiveSimulationOptions {
  publisher: EventPublisher;
  seed: number;
  channels: number;
  backfillS: number;
  clock: () => number;
  logger: Logger;
  /** How often new events are generated up to "now". */
  tickMs?: number;
}

/** Backfill in slices so the processor can interleave with it. */
const BACKFILL_SLICE_MS = 10_000;

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
    const backfillEnd = clock();
    while (this.cursor < backfillEnd && !this.abort.signal.aborted) {
      await this.publishUntil(Math.min(this.cursor + BACKFILL_SLICE_MS, backfillEnd));
    }
    logger.info({ channels: this.options.channels }, 'simulated chat is live');
    while (!this.abort.signal.aborted) {
      await sleep(this.options.tickMs ?? 250, this.abort.signal);
      await this.publishUntil(clock());
    }
  }

  private async publishUntil(until: number): Promise<void> {
    if (until <= this.cursor) return;
    await this.options.publisher.publish(this.simulator.events(this.cursor, until));
    this.cursor = until;
  }
}
