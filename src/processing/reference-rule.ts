// The original Stream Scout detector, reimplemented as the baseline ours is measured against.
//
// Per channel: raw chat messages per second (only `!command` lines are dropped; bots, spammers
// and raids all count), a 5 s window compared with the 300 s before it. Seconds without a
// message count as zero. intensity = (window messages / 5 - baseline mean) / baseline sample
// standard deviation; it fires at 4. A peak hold opens on the first elevated second, keeps the
// highest intensity, and reports when intensity falls below the trigger or 25 s after it opened
// (a hold whose peak is over 25 s old is dropped unreported); no new hold opens within 30 s of a
// report. Event time is the message's `ts`; a second is evaluated once the watermark (the newest
// `ts` minus 5 s) reaches its start, as the reference's per-second event-time timers fire.
//
// Deliberately faithful, weaknesses included: it is a yardstick, not a detector to improve.
import type { ChatMessage, StreamEvent } from '../events/schema.ts';
import { momentId, type Moment, type MomentExplanation } from './moment.ts';

export const REFERENCE_RULE = {
  windowS: 5,
  baselineS: 300,
  /** Intensity at which a second is elevated. */
  threshold: 4,
  /** 80 % of the baseline: how long a channel must have been watched before it is measured. */
  minObservedS: 240,
  /** A hold reports at the latest this many seconds after it opened. */
  holdCapS: 25,
  /** No hold opens until this many seconds after a report. */
  cooldownS: 30,
  outOfOrdernessMs: 5_000,
} as const;

const COMMAND = /^![a-zA-Z0-9]+/;

/** Seconds a channel keeps: the baseline plus the window, as in the reference. */
const RETAINED_S = REFERENCE_RULE.baselineS + REFERENCE_RULE.windowS;

/**
 * Slots of the per-channel ring of seconds. It must hold the retained seconds, the seconds the
 * watermark has not reached yet, and a capped hold's seconds for its explanation.
 */
const RING_SIZE = 512;

/** One evaluated second. */
interface Measurement {
  second: number;
  intensity: number;
  windowMessages: number;
  baselineMean: number;
  baselineSd: number;
  /** Distinct chatters per second over the baseline (explanation only; the rule ignores chatters). */
  baselineChattersRate: number;
}

interface Hold {
  startSecond: number;
  peak: Measurement;
}

/** Channel state of the reference rule: recent seconds, the open hold, the last report. */
class ReferenceChannel {
  readonly channelId: string;
  readonly channel: string;
  /** Next second to evaluate; null while the channel has no retained second (a lapsed chain). */
  private cursor: number | null = null;
  private newestSecond = Number.NEGATIVE_INFINITY;
  private readonly slotSecond = new Float64Array(RING_SIZE).fill(Number.NaN);
  private readonly slotMessages = new Int32Array(RING_SIZE);
  private readonly slotChatters = Array.from({ length: RING_SIZE }, () => new Set<string>());
  private hold: Hold | null = null;
  private lastReportSecond = Number.NEGATIVE_INFINITY;

  constructor(channelId: string, channel: string) {
    this.channelId = channelId;
    this.channel = channel;
  }

  /**
   * Counts one message in its second. A late message (its second already evaluated) counts for
   * the seconds evaluated after it; unlike the reference, its own second is not evaluated again.
   */
  count(message: ChatMessage): void {
    const second = Math.floor(message.ts / 1000);
    // Older than anything the next evaluation reads: the reference has expired that second too.
    if (this.cursor !== null && second < baselineStart(this.cursor)) return;
    const slot = this.slot(second);
    if (this.slotSecond[slot] !== second) {
      this.slotSecond[slot] = second;
      this.slotMessages[slot] = 0;
      this.slotChatters[slot]!.clear();
    }
    this.slotMessages[slot] = this.slotMessages[slot]! + 1;
    this.slotChatters[slot]!.add(message.user_id);
    this.newestSecond = Math.max(this.newestSecond, second);
    // The reference starts a channel's per-second timer chain at its first message's second.
    this.cursor ??= second;
  }

  /** Evaluates every second up to `dueSecond`; returns the moments reported. */
  evaluateThrough(dueSecond: number): Moment[] {
    const moments: Moment[] = [];
    while (this.cursor !== null && this.cursor <= dueSecond) {
      const second = this.cursor;
      const moment = this.evaluate(second);
      if (moment) moments.push(moment);
      // The chain stops once nothing is retained; the channel's next message restarts it.
      this.cursor = this.newestSecond >= baselineStart(second) ? second + 1 : null;
    }
    return moments;
  }

  private evaluate(second: number): Moment | null {
    // A hold whose peak is older than the cap is dropped unreported, even while unmeasurable.
    if (this.hold && second - this.hold.peak.second > REFERENCE_RULE.holdCapS) this.hold = null;
    const measurement = this.measure(second);
    if (measurement === null) return null;
    const elevated = measurement.intensity >= REFERENCE_RULE.threshold;

    if (this.hold === null) {
      if (elevated && second - this.lastReportSecond > REFERENCE_RULE.cooldownS) {
        this.hold = { startSecond: second, peak: measurement };
      }
    } else if (!elevated) {
      // This second is not part of the elevated period, so it cannot be its peak.
      return this.report(second);
    } else if (measurement.intensity > this.hold.peak.intensity) {
      // Strictly greater: a flat peak is reported at the second it was first reached.
      this.hold.peak = measurement;
    }
    if (this.hold && second - this.hold.startSecond >= REFERENCE_RULE.holdCapS) {
      return this.report(second);
    }
    return null;
  }

  /** The second's intensity, or null when the reference cannot measure it. */
  private measure(second: number): Measurement | null {
    const windowStart = second - REFERENCE_RULE.windowS + 1;
    const start = baselineStart(second);
    let sum = 0;
    let sumOfSquares = 0;
    let chatters = 0;
    let oldestWithChat: number | null = null;
    for (let s = start; s < windowStart; s++) {
      const messages = this.messagesAt(s);
      sum += messages;
      sumOfSquares += messages * messages;
      chatters += this.chattersAt(s).size;
      if (messages > 0) oldestWithChat ??= s;
    }
    // Observed time runs from the oldest second with chat still in the baseline: after a long
    // silence (a stream offline), the channel warms up again.
    const observedS = oldestWithChat === null ? 0 : windowStart - oldestWithChat;
    if (observedS < REFERENCE_RULE.minObservedS) return null;

    const n = REFERENCE_RULE.baselineS;
    // Integer numerator, exact for message counts: a flat baseline gives exactly zero.
    const variance = (n * sumOfSquares - sum * sum) / (n * (n - 1));
    // No spread means very little traffic, not a channel so regular that any change is huge.
    if (variance <= 0) return null;
    let windowMessages = 0;
    for (let s = windowStart; s <= second; s++) windowMessages += this.messagesAt(s);
    const baselineMean = sum / n;
    const baselineSd = Math.sqrt(variance);
    return {
      second,
      intensity: (windowMessages / REFERENCE_RULE.windowS - baselineMean) / baselineSd,
      windowMessages,
      baselineMean,
      baselineSd,
      baselineChattersRate: chatters / n,
    };
  }

  private report(reportSecond: number): Moment {
    const { startSecond, peak } = this.hold!;
    this.hold = null;
    this.lastReportSecond = reportSecond;
    const startTs = startSecond * 1000;
    return {
      id: momentId(this.channelId, startTs),
      channel_id: this.channelId,
      channel: this.channel,
      start_ts: startTs,
      peak_ts: peak.second * 1000,
      end_ts: (reportSecond + 1) * 1000,
      score: round(peak.intensity, 2),
      explanation: this.explain(peak, startSecond, reportSecond),
    };
  }

  /** What the rule measured at the peak; it reads no message text, so no emotes or phrases. */
  private explain(peak: Measurement, startSecond: number, reportSecond: number): MomentExplanation {
    const peakWindowStart = peak.second - REFERENCE_RULE.windowS + 1;
    const rate = peak.windowMessages / REFERENCE_RULE.windowS;
    return {
      summary:
        `${peak.windowMessages} messages in ${REFERENCE_RULE.windowS} s (${rate.toFixed(1)}/s) ` +
        `against a usual ${peak.baselineMean.toFixed(1)}/s (sd ${peak.baselineSd.toFixed(1)}): ` +
        `intensity ${peak.intensity.toFixed(1)}, reference rule`,
      rate: round(rate, 1),
      baseline_rate: round(peak.baselineMean, 1),
      chatters_rate: round(
        this.distinctChatters(peakWindowStart, peak.second) / REFERENCE_RULE.windowS,
        1,
      ),
      baseline_chatters_rate: round(peak.baselineChattersRate, 1),
      unique_chatters: this.distinctChatters(startSecond, reportSecond),
      messages: this.messagesBetween(startSecond, reportSecond),
      top_emotes: [],
      top_phrases: [],
      samples: [],
    };
  }

  private messagesBetween(first: number, last: number): number {
    let messages = 0;
    for (let s = first; s <= last; s++) messages += this.messagesAt(s);
    return messages;
  }

  private distinctChatters(first: number, last: number): number {
    const chatters = new Set<string>();
    for (let s = first; s <= last; s++) for (const user of this.chattersAt(s)) chatters.add(user);
    return chatters.size;
  }

  private messagesAt(second: number): number {
    const slot = this.slot(second);
    return this.slotSecond[slot] === second ? this.slotMessages[slot]! : 0;
  }

  private chattersAt(second: number): ReadonlySet<string> {
    const slot = this.slot(second);
    return this.slotSecond[slot] === second ? this.slotChatters[slot]! : NO_CHATTERS;
  }

  private slot(second: number): number {
    return ((second % RING_SIZE) + RING_SIZE) % RING_SIZE;
  }
}

const NO_CHATTERS: ReadonlySet<string> = new Set();

/**
 * The reference rule over one stream of events (all channels, in about `ts` order). Push-style,
 * so one pass over a stream can feed it and another detector side by side.
 */
export class ReferenceRule {
  private readonly channels = new Map<string, ReferenceChannel>();
  private newestTs = Number.NEGATIVE_INFINITY;
  private evaluatedThrough = Number.NEGATIVE_INFINITY;

  /** Feeds one event; returns the moments the advancing watermark completes, in report order. */
  ingest(event: StreamEvent): Moment[] {
    if (event.type !== 'chat') return [];
    // Evaluating before counting changes nothing: a message that is not late lies beyond the
    // seconds its own watermark advance makes due. It keeps a jump in time from pushing a second
    // still to be evaluated out of a channel's ring.
    const moments = this.advanceWatermark(event.ts);
    if (!COMMAND.test(event.text)) this.channelOf(event).count(event);
    return moments;
  }

  /** End of input: like Flink's final watermark, runs every channel until it has nothing left. */
  finish(): Moment[] {
    this.evaluatedThrough = Number.POSITIVE_INFINITY;
    return this.evaluateThrough(Number.POSITIVE_INFINITY);
  }

  /**
   * One watermark for the whole stream, as a Flink source has: the newest `ts` minus the allowed
   * out-of-orderness. Seconds whose start it has reached are evaluated.
   */
  private advanceWatermark(ts: number): Moment[] {
    this.newestTs = Math.max(this.newestTs, ts);
    const dueSecond = Math.floor((this.newestTs - REFERENCE_RULE.outOfOrdernessMs) / 1000);
    if (dueSecond <= this.evaluatedThrough) return [];
    this.evaluatedThrough = dueSecond;
    return this.evaluateThrough(dueSecond);
  }

  private evaluateThrough(dueSecond: number): Moment[] {
    const moments: Moment[] = [];
    for (const channel of this.channels.values())
      moments.push(...channel.evaluateThrough(dueSecond));
    // Channels are evaluated one after another: order what they report by when it was reported.
    return moments.sort((a, b) => a.end_ts - b.end_ts);
  }

  private channelOf(message: ChatMessage): ReferenceChannel {
    let channel = this.channels.get(message.channel_id);
    if (!channel) {
      channel = new ReferenceChannel(message.channel_id, message.channel);
      this.channels.set(message.channel_id, channel);
    }
    return channel;
  }
}

/** The reference rule over a finite stream of events, mirroring `detectMoments`. */
export async function* detectWithReferenceRule(
  events: Iterable<StreamEvent> | AsyncIterable<StreamEvent>,
): AsyncGenerator<Moment> {
  const rule = new ReferenceRule();
  for await (const event of events) yield* rule.ingest(event);
  yield* rule.finish();
}

/** First second of the baseline when `second` is evaluated: older seconds are no longer kept. */
function baselineStart(second: number): number {
  return second - RETAINED_S + 1;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
