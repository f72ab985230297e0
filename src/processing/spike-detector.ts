// Finds moments in one channel from its closed seconds, in event-time order.
//
// Signals: distinct reacting chatters in the last `windowS` seconds (one spammer counts once),
// and optionally reactions carrying emotes (an emote burst) and reactions (moment.ts).
// Baseline: exponentially weighted mean and variance of each, frozen while chat is
// elevated so a spike does not raise its own bar, re-learnt during cooldown so a lasting step
// up (a raid that stays) becomes the new normal. Score: the window's surprise, -log10 of the
// probability of at least that many chatters under an over-dispersed count model with the
// baseline's mean and variance (count-tail.ts): one threshold means the same false-alarm rate
// for a channel at 0.2 and at 200 messages/s.
import type { ChannelColumns } from './channel-columns.ts';
import type { DetectorParams } from './detector-params.ts';
import { surprise } from './count-tail.ts';
import { explainMoment } from './explain-moment.ts';
import type { ClosedSecond } from './closed-second.ts';
import { momentId, type Moment, type Signal } from './moment.ts';
import type { PendingChat } from './pending-chat.ts';
import { countOf, RecentSeconds, type MomentSecond, type SecondCounts } from './recent-seconds.ts';
import { SlidingDistinct } from './sliding-distinct.ts';
import { BASELINE_FLOATS, WindowBaseline } from './window-baseline.ts';

interface OpenMoment {
  /** The signal that opened the moment: it decides which seconds belong to it. */
  signal: Signal;
  startSecond: number;
  seconds: MomentSecond[];
  score: number;
  /** The test reported at the peak (see `reported`), and what it saw: for the explanation. */
  peakSignal: Signal;
  peakWidthS: number;
  peakCount: number;
  peakBaseline: number;
  peakChatters: number;
  peakBaselineChatters: number;
  peakMessages: number;
  quietSeconds: number;
  /** The second with the most of `signal` so far: where a clip should be centred. */
  peakSecond: MomentSecond;
  /** Whether the peak has been reported as passed (see `takePeak`). */
  peakReported: boolean;
  /** Whether the opening has been reported (see `takeOpening`). */
  openingReported: boolean;
  /**
   * The moment's id, once taken: the opening, the peak report and the moment carry the same one, a
   * sha256 that cost as much as a tenth of explaining the moment.
   */
  id: string | null;
}

/**
 * What every channel's detector with the same params shares: the tests, the constants derived
 * from the params, and how much room a channel's state takes in the shared columns.
 */
export class DetectorShape {
  readonly params: DetectorParams;
  readonly alpha: number;
  readonly widestS: number;
  /** One test per signal and window width; the chatters tests first, in `windowsS` order. */
  readonly scales: readonly WindowBaseline[];
  /** Testing several signals and windows raises the chance of a fluke: a Bonferroni correction. */
  readonly multipleTestingPenalty: number;
  /** Integers of a channel's slot a detector takes: its ring of recent seconds, its distinct count's. */
  readonly ints: number;
  /**
   * Doubles of a channel's slot a detector takes: its tests', the message rate and cooldown, its
   * distinct count's.
   */
  readonly floats: number;

  constructor(params: DetectorParams) {
    this.params = params;
    this.alpha = 1 - 2 ** (-1 / params.baselineHalfLifeS);
    this.widestS = Math.max(...params.windowsS);
    const signals: Signal[] = ['chatters', ...params.signals.filter((s) => s !== 'chatters')];
    const widths = params.windowsS.length;
    this.scales = signals.flatMap((signal, s) =>
      params.windowsS.map((width, w) => new WindowBaseline(signal, width, s * widths + w)),
    );
    this.multipleTestingPenalty = Math.log10(this.scales.length);
    this.ints = RecentSeconds.ints(this.widestS) + SlidingDistinct.ints(this.widestS);
    this.floats = this.scales.length * BASELINE_FLOATS + 2 + SlidingDistinct.floats;
  }
}

export class SpikeDetector {
  private readonly shape: DetectorShape;
  private readonly channelId: string;
  /** Distinct reacting chatters over the widest window; every scale reads its own width. */
  private readonly reacting: SlidingDistinct;
  /** The last seconds (as many as the widest window), so a moment can start before it fired. */
  private readonly recent: RecentSeconds;
  private readonly columns: ChannelColumns;
  /** Where this channel's doubles start in `columns.floats`: the tests', then these two. */
  private readonly base: number;
  private readonly messageRateAt: number;
  private observed = 0;
  private open: OpenMoment | null = null;

  /**
   * `pending`: the table holding the messages of the channel's recent seconds. The detector
   * takes `shape.ints` integers from `intBase` and `shape.floats` doubles from `floatBase`
   * in `columns`, which must be zeros.
   */
  constructor(
    shape: DetectorShape,
    channelId: string,
    pending: PendingChat,
    columns: ChannelColumns,
    intBase: number,
    floatBase: number,
  ) {
    this.shape = shape;
    this.channelId = channelId;
    this.columns = columns;
    this.base = floatBase;
    this.messageRateAt = floatBase + shape.scales.length * BASELINE_FLOATS;
    columns.floats[this.cooldownUntilAt] = Number.NEGATIVE_INFINITY;
    this.recent = new RecentSeconds(shape.widestS, pending, columns, intBase);
    this.reacting = new SlidingDistinct(
      shape.widestS,
      columns,
      intBase + RecentSeconds.ints(shape.widestS),
      this.cooldownUntilAt + 1,
    );
  }

  private get params(): DetectorParams {
    return this.shape.params;
  }

  /** The cooldown's end follows the message rate. */
  private get cooldownUntilAt(): number {
    return this.messageRateAt + 1;
  }

  private get scales(): readonly WindowBaseline[] {
    return this.shape.scales;
  }

  private get multipleTestingPenalty(): number {
    return this.shape.multipleTestingPenalty;
  }

  private get messageRate(): number {
    return this.columns.floats[this.messageRateAt]!;
  }

  private set messageRate(rate: number) {
    this.columns.floats[this.messageRateAt] = rate;
  }

  private get cooldownUntil(): number {
    return this.columns.floats[this.cooldownUntilAt]!;
  }

  private set cooldownUntil(second: number) {
    this.columns.floats[this.cooldownUntilAt] = second;
  }

  /**
   * Feeds one closed second; returns a moment when one ends with it. Keeps its texts only when
   * it may belong to a moment (see `isNotable`).
   */
  observe(closed: ClosedSecond, channel: string): Moment | null {
    const counts: SecondCounts = {
      reactions: closed.reactions,
      reacting: this.reacting.add(closed.second, closed.reactors, closed.reactions),
      emoting: closed.emoting,
    };
    this.recent.push(closed.second, counts, closed.retire(this.isNotable(counts)));
    const values = this.columns.floats;
    for (const scale of this.scales) scale.update(values, this.base, this.countOf(scale));
    const { score, scale } = this.score();

    if (this.open) return this.continueMoment(score, scale, channel);
    if (this.shouldOpen(closed.second, score, scale)) {
      this.openMoment(score, scale);
      return null;
    }
    if (score < this.params.exitThreshold || closed.second < this.cooldownUntil) {
      this.learn(closed.reactions);
    }
    return null;
  }

  /**
   * Whether a second about to be observed could be part of a moment, so what it said is worth
   * keeping for the explanation: inside an open moment, while warming up, or when one of its
   * signals is unusual (p < 0.05) for a normal second. Most seconds are not; their texts would be
   * most of a channel's memory.
   */
  isNotable(counts: SecondCounts): boolean {
    if (this.open || this.observed < this.params.warmupS) return true;
    // The first test of each signal is its shortest window.
    for (let i = 0; i < this.scales.length; i += this.params.windowsS.length) {
      const shortest = this.scales[i]!;
      if (isElevated(counts, shortest.signal, this.meanOf(shortest) / shortest.widthS)) return true;
    }
    return false;
  }

  /**
   * The open moment as far as it is known, once its busiest second is `peakHoldS` seconds
   * behind: the earliest point a clip can be sure to hold the peak. At most once per moment,
   * with the id the moment will have when it closes; null otherwise.
   */
  takePeak(channel: string): Moment | null {
    const open = this.open;
    if (open === null || open.peakReported) return null;
    const last = open.seconds[open.seconds.length - 1]!;
    if (last.second - open.peakSecond.second < this.params.peakHoldS) return null;
    open.peakReported = true;
    return this.momentSoFar(open, channel);
  }

  /**
   * The moment just opened, as far as it is known: at most once per moment, right after the
   * second that opened it, with the id the moment will have when it closes; null otherwise. It
   * lets a moment be shown while it happens, without waiting for its peak to hold (`takePeak`).
   */
  takeOpening(channel: string): Moment | null {
    const open = this.open;
    if (open === null || open.openingReported) return null;
    open.openingReported = true;
    return this.momentSoFar(open, channel);
  }

  /** Ends an open moment at the end of input. */
  finish(channel: string): Moment | null {
    return this.open ? this.closeMoment(channel) : null;
  }

  /** Lets go of the recent seconds' messages: the channel is forgotten. */
  release(): void {
    this.recent.release();
  }

  private countOf(scale: WindowBaseline): number {
    return scale.signal === 'chatters'
      ? this.reacting.countWithin(scale.widthS)
      : this.recent.sum(scale.signal, scale.widthS);
  }

  /**
   * The most surprising test, corrected for having looked at several. Exact from the lower of the
   * two thresholds up: below both, a score only has to stay below them (nothing opens, the
   * baseline learns, a moment's quiet seconds count), and which test was best does not matter.
   */
  private score(): { score: number; scale: WindowBaseline } {
    let best = this.scales[0]!;
    let bestSurprise = 0;
    if (this.observed >= this.params.warmupS) {
      const level =
        Math.min(this.params.threshold, this.params.exitThreshold) + this.multipleTestingPenalty;
      const values = this.columns.floats;
      for (const scale of this.scales) {
        const value = scale.surprise(values, this.base, this.floorOf(scale), level);
        if (value > bestSurprise) {
          bestSurprise = value;
          best = scale;
        }
      }
    }
    return { score: Math.max(0, bestSurprise - this.multipleTestingPenalty), scale: best };
  }

  /** The lowest baseline a test assumes, scaled from the shortest window to its width. */
  private floorOf(scale: WindowBaseline): number {
    return this.params.minBaselineChatters * (scale.widthS / this.shortest.widthS);
  }

  /** The chatters test of the shortest window. */
  private get shortest(): WindowBaseline {
    return this.scales[0]!;
  }

  /** The chatters test of the same width: every moment reports its chatters. */
  private chattersOf(scale: WindowBaseline): WindowBaseline {
    return this.scales[this.params.windowsS.indexOf(scale.widthS)]!;
  }

  private shouldOpen(second: number, score: number, scale: WindowBaseline): boolean {
    // Whatever the signal, a handful of people are not a crowd (nor one person's emotes).
    return (
      score >= this.params.threshold &&
      this.countIn(this.chattersOf(scale)) >= this.params.minChatters &&
      second >= this.cooldownUntil
    );
  }

  private openMoment(score: number, scale: WindowBaseline): void {
    const { signal } = scale;
    const normal = this.perSecondBaseline(signal);
    const window = this.recent.last(scale.widthS);
    const firstElevated = window.findIndex((second) => isElevated(second, signal, normal));
    const seconds = window.slice(Math.max(0, firstElevated));
    this.open = {
      signal,
      startSecond: seconds[0]!.second,
      seconds,
      quietSeconds: 0,
      peakSecond: busiest(seconds, signal),
      peakReported: false,
      openingReported: false,
      id: null,
      ...this.peak(score, scale),
    };
  }

  private peak(score: number, scale: WindowBaseline) {
    const chatters = this.chattersOf(scale);
    const reported = this.reported(scale);
    return {
      score,
      peakSignal: reported.signal,
      peakWidthS: scale.widthS,
      peakCount: this.countIn(reported),
      peakBaseline: this.meanOf(reported),
      peakChatters: this.countIn(chatters),
      peakBaselineChatters: this.meanOf(chatters),
      peakMessages: this.recent.sum('messages', scale.widthS),
    };
  }

  private continueMoment(score: number, scale: WindowBaseline, channel: string): Moment | null {
    const open = this.open!;
    const [second] = this.recent.last(1);
    open.seconds.push(second!);
    if (countOf(second!, open.signal) > countOf(open.peakSecond, open.signal)) {
      open.peakSecond = second!;
    }
    if (score > open.score) Object.assign(open, this.peak(score, scale));
    open.quietSeconds = score < this.params.exitThreshold ? open.quietSeconds + 1 : 0;
    const tooLong = second!.second - open.startSecond + 1 >= this.params.maxMomentS;
    return open.quietSeconds >= this.params.closeAfterS || tooLong
      ? this.closeMoment(channel)
      : null;
  }

  private closeMoment(channel: string): Moment {
    const open = this.open!;
    this.open = null;
    const lastSecond = open.seconds[open.seconds.length - 1]!.second;
    this.cooldownUntil = lastSecond + 1 + this.params.cooldownS;
    return this.momentSoFar(open, channel);
  }

  /** The moment `open` describes, from its start to the last second seen so far. */
  private momentSoFar(open: OpenMoment, channel: string): Moment {
    const { signal } = open;
    const active = trimQuietTail(open.seconds, signal, this.perSecondBaseline(signal));
    const peak = busiest(active, signal);
    const startTs = open.startSecond * 1000;
    return {
      id: (open.id ??= momentId(this.channelId, startTs)),
      channel_id: this.channelId,
      channel,
      start_ts: startTs,
      peak_ts: peak.second * 1000,
      end_ts: (active[active.length - 1]!.second + 1) * 1000,
      score: round(open.score, 2),
      explanation: explainMoment(active, {
        signal: open.peakSignal,
        signalRate: open.peakCount / open.peakWidthS,
        baselineSignalRate: open.peakBaseline / open.peakWidthS,
        rate: open.peakMessages / open.peakWidthS,
        baselineRate: this.messageRate,
        chattersRate: open.peakChatters / open.peakWidthS,
        baselineChattersRate: open.peakBaselineChatters / open.peakWidthS,
      }),
    };
  }

  private learn(reactions: number): void {
    // Silence before a channel's first message (a stream just announced online) is not its
    // normal level: the warm-up starts with the chat.
    if (this.observed === 0 && this.countIn(this.shortest) === 0) return;
    this.observed += 1;
    // Plain average while warming up, so the first minute does not lean on the initial zero.
    const alpha = Math.max(this.shape.alpha, 1 / this.observed);
    const values = this.columns.floats;
    for (const scale of this.scales) scale.learn(values, this.base, alpha);
    this.messageRate += alpha * (reactions - this.messageRate);
  }

  /**
   * The test a person should read about: the crowd (chatters) when it alone would have fired
   * in this window, else the signal that fired (an emote burst in a steady crowd).
   */
  private reported(scale: WindowBaseline): WindowBaseline {
    const chatters = this.chattersOf(scale);
    const level = this.params.threshold + this.multipleTestingPenalty;
    const values = this.columns.floats;
    const chattersScore =
      chatters.surprise(values, this.base, this.floorOf(chatters), level) -
      this.multipleTestingPenalty;
    return chattersScore >= this.params.threshold ? chatters : scale;
  }

  /** What a normal second has of `signal`, from its shortest window. */
  private perSecondBaseline(signal: Signal): number {
    const shortest = this.scales.find((scale) => scale.signal === signal)!;
    return this.meanOf(shortest) / shortest.widthS;
  }

  /** The count in `scale`'s window ending with the last observed second. */
  private countIn(scale: WindowBaseline): number {
    return scale.count(this.columns.floats, this.base);
  }

  /** `scale`'s baseline: the mean of its count. */
  private meanOf(scale: WindowBaseline): number {
    return scale.mean(this.columns.floats, this.base);
  }
}

/** Chance below which one second's chatters count as part of the moment (p < 0.05). */
const ELEVATED_SURPRISE = -Math.log10(0.05);

/** A second whose own count of `signal` would be unusual (p < 0.05) for a normal second. */
function isElevated(second: SecondCounts, signal: Signal, perSecondBaseline: number): boolean {
  const mean = Math.max(perSecondBaseline, 0.05);
  return surprise(countOf(second, signal), mean, mean, ELEVATED_SURPRISE) >= ELEVATED_SURPRISE;
}

/** The first second with the most of `signal`. */
function busiest(seconds: MomentSecond[], signal: Signal): MomentSecond {
  return seconds.reduce((best, second) =>
    countOf(second, signal) > countOf(best, signal) ? second : best,
  );
}

/** The window keeps a moment open a few seconds after chat calmed down; the moment ends earlier. */
function trimQuietTail(
  seconds: MomentSecond[],
  signal: Signal,
  perSecondBaseline: number,
): MomentSecond[] {
  let last = seconds.length - 1;
  while (last > 0 && !isElevated(seconds[last]!, signal, perSecondBaseline)) last -= 1;
  return seconds.slice(0, last + 1);
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
