// The processing core: canonical events in (any order within the allowed lateness), moments
// and live metrics out. Pure and deterministic: time is the events' own time, never the clock,
// so the same engine runs live, over a file, and in a replay with identical results.
import type { ChatMessage, StreamEvent } from '../events/schema.ts';
import { ChannelColumns } from './channel-columns.ts';
import type { ChannelMetrics } from './channel-metrics.ts';
import { ChatFilter } from './chat-filter.ts';
import { ClosedSecond } from './closed-second.ts';
import { DEFAULT_DETECTOR_PARAMS, type DetectorParams } from './detector-params.ts';
import { DEFAULT_LIVE_METRICS, LiveMetrics, type LiveMetricsParams } from './live-metrics.ts';
import type { Moment } from './moment.ts';
import { NO_ROW, PendingChat } from './pending-chat.ts';
import { DetectorShape, SpikeDetector } from './spike-detector.ts';

export interface EngineOptions {
  detector?: Partial<DetectorParams>;
  /** Live metrics are for the dashboard; offline detection turns them off. */
  liveMetrics?: LiveMetricsParams | false;
  /** A channel silent for this long (event time) is forgotten; it warms up again if it returns. */
  idleEvictionMs?: number;
}

export interface EngineOutput {
  /** Moments that ended. */
  moments: Moment[];
  /**
   * Moments that just opened (see `SpikeDetector.takeOpening`): what is known of them so far,
   * under the id they will keep. The feed shows these while they happen.
   */
  openings: Moment[];
  /**
   * Moments still open whose peak has just passed (see `SpikeDetector.takePeak`): what is known
   * of them so far, under the id they will keep. Clips are taken from these.
   */
  peaks: Moment[];
  metrics: ChannelMetrics[];
}

export interface EngineCounters {
  events: number;
  late: number;
  channels: number;
}

class ChannelState {
  readonly id: string;
  login: string;
  viewers: number | null = null;
  /** Seconds at or before this are closed: they were counted, late events are dropped. */
  closedThrough: number;
  /** The channel's slot in the engine's columns. */
  readonly slot: number;
  private readonly columns: ChannelColumns;
  /** Where the newest event time is in `columns.floats`; then the filter's and detector's. */
  private readonly newestTsAt: number;
  /**
   * The seconds the watermark has not closed yet, by slot (see `slotOf`): the first and last row
   * of each one's messages in the engine's pending table, `slots * 2` integers from `open` in
   * `columns.ints`. Open seconds are never more than the lateness plus two seconds apart (see
   * `openSlots`).
   */
  private readonly open: number;
  private readonly slots: number;
  /** The first second the channel could hold. */
  private readonly origin: number;
  readonly filter: ChatFilter;
  readonly detector: SpikeDetector;
  readonly metrics: LiveMetrics | null;

  constructor(id: string, login: string, closedThrough: number, engine: DetectionEngine) {
    this.id = id;
    this.login = login;
    this.closedThrough = closedThrough;
    this.origin = closedThrough;
    this.slots = openSlots(engine.params.latenessMs);
    const { columns } = engine;
    this.columns = columns;
    this.slot = columns.allocate();
    this.open = this.slot * columns.intsPerSlot;
    columns.ints.fill(NO_ROW, this.open, this.open + this.slots * 2);
    this.newestTsAt = this.slot * columns.floatsPerSlot;
    this.filter = new ChatFilter({}, columns, this.newestTsAt + 1);
    const detectorInts = this.open + this.slots * 2;
    const detectorFloats = this.newestTsAt + 1 + ChatFilter.floats;
    const { shape } = engine;
    this.detector = new SpikeDetector(
      shape,
      id,
      engine.pending,
      columns,
      detectorInts,
      detectorFloats,
    );
    this.metrics = engine.metricsParams
      ? new LiveMetrics(
          engine.metricsParams,
          columns,
          detectorInts + shape.ints,
          detectorFloats + shape.floats,
        )
      : null;
  }

  /** The time of the channel's newest chat message (0 before the first). */
  get newestTs(): number {
    return this.columns.floats[this.newestTsAt]!;
  }

  set newestTs(ts: number) {
    this.columns.floats[this.newestTsAt] = ts;
  }

  add(second: number, message: ChatMessage, pending: PendingChat): void {
    const head = this.open + this.slotOf(second) * 2;
    const offsetMs = message.ts - second * 1000;
    const row = pending.append(
      this.columns.ints[head + 1]!,
      message,
      offsetMs,
      this.filter.isNoise(message),
    );
    const { ints } = this.columns;
    if (ints[head] === NO_ROW) ints[head] = row;
    ints[head + 1] = row;
  }

  /** Frees the messages of every second not closed yet: the channel is being forgotten. */
  releaseOpen(pending: PendingChat): void {
    const { ints } = this.columns;
    for (let slot = 0; slot < this.slots; slot++) {
      const head = this.open + slot * 2;
      if (ints[head] !== NO_ROW) pending.release(ints[head]!);
      ints[head] = NO_ROW;
      ints[head + 1] = NO_ROW;
    }
  }

  /** Takes the first pending row of `second`'s messages, which the caller is closing. */
  take(second: number): number {
    const { ints } = this.columns;
    const head = this.open + this.slotOf(second) * 2;
    const first = ints[head]!;
    ints[head] = NO_ROW;
    ints[head + 1] = NO_ROW;
    return first;
  }

  /**
   * Relative to the first second the channel could hold: epoch seconds are not small integers in
   * V8, and `%` on them is a floating-point remainder.
   */
  private slotOf(second: number): number {
    return (second - this.origin) % this.slots;
  }
}

/**
 * Slots for open seconds. After a message of second s is added, seconds up to
 * floor((ts - lateness) / 1000) - 1 are closed, so open seconds span at most
 * ceil(lateness / 1000) + 1 seconds; one more slot is a margin.
 */
function openSlots(latenessMs: number): number {
  return Math.ceil(latenessMs / 1000) + 2;
}

export class DetectionEngine {
  readonly params: DetectorParams;
  readonly shape: DetectorShape;
  readonly metricsParams: LiveMetricsParams | null;
  private readonly idleEvictionMs: number;
  private readonly channels = new Map<string, ChannelState>();
  /** Messages of every channel's recent seconds. */
  readonly pending = new PendingChat();
  /**
   * Every channel's fixed-size state: open seconds, then its detector's and its live metrics'
   * (see ChannelState).
   */
  readonly columns: ChannelColumns;
  /** The second being closed, whichever channel's: one at a time. */
  private readonly closing = new ClosedSecond(this.pending);
  private output: EngineOutput = { moments: [], openings: [], peaks: [], metrics: [] };
  private events = 0;
  private late = 0;

  constructor(options: EngineOptions = {}) {
    this.params = { ...DEFAULT_DETECTOR_PARAMS, ...options.detector };
    this.shape = new DetectorShape(this.params);
    const metrics = (this.metricsParams =
      options.liveMetrics === false ? null : (options.liveMetrics ?? DEFAULT_LIVE_METRICS));
    this.columns = new ChannelColumns(
      openSlots(this.params.latenessMs) * 2 +
        this.shape.ints +
        (metrics ? LiveMetrics.ints(metrics) : 0),
      1 + ChatFilter.floats + this.shape.floats + (metrics ? LiveMetrics.floats : 0),
    );
    this.idleEvictionMs = options.idleEvictionMs ?? 15 * 60_000;
  }

  ingest(event: StreamEvent): void {
    this.events += 1;
    switch (event.type) {
      case 'chat':
        this.ingestChat(event);
        return;
      case 'viewers':
        this.stateOf(event.channel_id, event.channel, event.ts).viewers = event.viewers;
        return;
      case 'lifecycle':
        this.stateOf(event.channel_id, event.channel, event.ts).login = event.channel;
        return;
      case 'notice':
        if (event.kind === 'raid')
          this.stateOf(event.channel_id, event.channel, event.ts).filter.raided(event.ts);
        return;
      default:
        return;
    }
  }

  /**
   * Moves every channel's watermark to `eventTime - lateness`: quiet channels close their
   * seconds (and their moments) even when they receive nothing.
   */
  advanceTo(eventTime: number): void {
    const closeThrough = this.closableSecond(eventTime);
    for (const state of this.channels.values()) {
      this.closeThrough(state, closeThrough);
      if (eventTime - state.newestTs > this.idleEvictionMs) this.evict(state);
    }
  }

  /** End of input: closes every open second and every open moment. */
  flush(): void {
    for (const state of this.channels.values()) {
      this.closeThrough(state, Math.max(state.closedThrough, Math.floor(state.newestTs / 1000)));
      this.finishMoment(state);
    }
  }

  /** Whether the engine holds state for this channel. */
  has(channelId: string): boolean {
    return this.channels.has(channelId);
  }

  /**
   * Drops a channel's state without reporting its open moment: its chat moved to another
   * processor (a rebalance), which rebuilds the state and reports the moment itself.
   */
  forget(channelId: string): void {
    const state = this.channels.get(channelId);
    if (!state) return;
    state.releaseOpen(this.pending);
    state.detector.release();
    this.columns.release(state.slot);
    this.channels.delete(channelId);
  }

  /** Takes what the engine produced since the last call. */
  drain(): EngineOutput {
    const output = this.output;
    this.output = { moments: [], openings: [], peaks: [], metrics: [] };
    return output;
  }

  counters(): EngineCounters {
    return { events: this.events, late: this.late, channels: this.channels.size };
  }

  private ingestChat(message: ChatMessage): void {
    const state =
      this.channels.get(message.channel_id) ??
      this.added(message.channel_id, message.channel, message.ts);
    // A chat message always names its channel (a login is never empty): the name is stored
    // rather than compared with the one held, which would read a string nothing else reads.
    state.login = message.channel;
    const second = Math.floor(message.ts / 1000);
    if (second <= state.closedThrough) {
      this.late += 1;
      return;
    }
    // Close before adding: the slot of a second far ahead may still hold an old open second.
    if (message.ts > state.newestTs) {
      state.newestTs = message.ts;
      this.closeThrough(state, this.closableSecond(message.ts));
    }
    state.add(second, message, this.pending);
  }

  private stateOf(channelId: string, login: string | undefined, ts: number): ChannelState {
    const state = this.channels.get(channelId);
    if (!state) return this.added(channelId, login, ts);
    if (login && login !== state.login) state.login = login;
    return state;
  }

  private added(channelId: string, login: string | undefined, ts: number): ChannelState {
    // A new channel starts at its first event's watermark, so earlier events that arrive
    // within the lateness still count, whatever order the first few came in.
    const state = new ChannelState(channelId, login ?? channelId, this.closableSecond(ts), this);
    this.channels.set(channelId, state);
    return state;
  }

  /** Last second whose end is at or before the watermark. */
  private closableSecond(eventTime: number): number {
    return Math.floor((eventTime - this.params.latenessMs) / 1000) - 1;
  }

  private closeThrough(state: ChannelState, lastSecond: number): void {
    const closing = this.closing;
    for (let second = state.closedThrough + 1; second <= lastSecond; second++) {
      closing.close(second, state.take(second), state.filter, state.metrics !== null);
      state.closedThrough = second;
      const moment = state.detector.observe(closing, state.login);
      if (moment) this.output.moments.push(moment);
      const opening = state.detector.takeOpening(state.login);
      if (opening) this.output.openings.push(opening);
      const peak = state.detector.takePeak(state.login);
      if (peak) this.output.peaks.push(peak);
      const metrics = state.metrics?.observe(closing, {
        id: state.id,
        login: state.login,
        viewers: state.viewers,
      });
      if (metrics) this.output.metrics.push(metrics);
    }
  }

  private finishMoment(state: ChannelState): void {
    const moment = state.detector.finish(state.login);
    if (moment) this.output.moments.push(moment);
  }

  private evict(state: ChannelState): void {
    this.finishMoment(state);
    state.detector.release();
    this.columns.release(state.slot);
    this.channels.delete(state.id);
  }
}
