// The chat simulator: many channels advanced together one second at a time, their events
// merged in time order. Output depends only on the options, never on how the time range is
// split into calls: a second is always simulated whole, and events it holds beyond the end of
// a call wait for the next one.
import type { StreamEvent } from '../../events/schema.ts';
import { ChannelSimulation } from './channel-simulation.ts';
import { createChannels, type SimChannel } from './channels.ts';
import type { Highlight } from './highlights.ts';
import { resolveOptions, type ResolvedOptions, type SimulatorOptions } from './options.ts';

export class ChatSimulator {
  readonly options: ResolvedOptions;
  readonly channels: readonly SimChannel[];
  private readonly simulations: ChannelSimulation[];
  private readonly planted: Highlight[] = [];
  /** Start of the next second to simulate. */
  private nextSecond: number;
  /** Events of the last simulated second not handed out yet, in order. */
  private pending: StreamEvent[] = [];
  private pendingIndex = 0;
  /** Earliest ts a call may still ask for: everything before it was handed out or skipped. */
  private horizon: number;

  constructor(options: SimulatorOptions) {
    this.options = resolveOptions(options);
    this.channels = createChannels({
      seed: this.options.seed,
      count: this.options.channels,
      chatRate: this.options.chatRate,
    });
    this.simulations = this.channels.map((channel) => new ChannelSimulation(channel, this.options));
    this.nextSecond = this.options.startTs;
    this.horizon = this.options.startTs;
  }

  /**
   * All events with ts in [fromTs, toTs), in ts order (ties in a stable order). Consecutive
   * calls continue the same run; a range starting before what was already produced is refused.
   * The generator runs lazily and advances the one simulation: consume a range before the next.
   */
  *events(fromTs: number, toTs: number): Generator<StreamEvent> {
    if (toTs < fromTs) throw new RangeError(`empty range: toTs ${toTs} is before fromTs ${fromTs}`);
    if (fromTs < this.horizon) {
      throw new RangeError(
        `events before ${this.horizon} were already produced; ranges must move forward (asked from ${fromTs})`,
      );
    }
    this.horizon = fromTs;
    for (;;) {
      while (this.pendingIndex < this.pending.length) {
        const event = this.pending[this.pendingIndex] as StreamEvent;
        if (event.ts >= toTs) {
          this.horizon = Math.max(this.horizon, toTs);
          return;
        }
        this.pendingIndex += 1;
        if (event.ts < fromTs) continue;
        this.horizon = event.ts;
        yield event;
      }
      if (this.nextSecond >= toTs) {
        this.horizon = Math.max(this.horizon, toTs);
        return;
      }
      this.simulateSecond();
    }
  }

  /** Highlights planted so far (those that began in a simulated second), in start order. */
  highlights(): Highlight[] {
    return [...this.planted];
  }

  private simulateSecond(): void {
    const second = this.nextSecond;
    const out: StreamEvent[] = [];
    for (const simulation of this.simulations) simulation.step(second, out, this.planted);
    this.pending = sortWithinSecond(out, second);
    this.pendingIndex = 0;
    this.nextSecond = second + 1000;
  }
}

/**
 * Counting sort on the millisecond within the second: linear, and stable, so events with the
 * same ts keep channel order, then the order each channel made them in.
 */
function sortWithinSecond(events: StreamEvent[], second: number): StreamEvent[] {
  const starts = new Int32Array(1001);
  for (const event of events) {
    const ms = event.ts - second;
    if (!(ms >= 0 && ms < 1000)) {
      throw new Error(`simulator bug: event at ${event.ts} emitted in second ${second}`);
    }
    starts[ms + 1] = (starts[ms + 1] as number) + 1;
  }
  for (let ms = 1; ms <= 1000; ms++) {
    starts[ms] = (starts[ms] as number) + (starts[ms - 1] as number);
  }
  const sorted = new Array<StreamEvent>(events.length);
  for (const event of events) {
    const ms = event.ts - second;
    sorted[starts[ms] as number] = event;
    starts[ms] = (starts[ms] as number) + 1;
  }
  return sorted;
}
