// Finds moments in one channel from its closed seconds, in event-time order.
//
// Signal: distinct reacting chatters in the last `windowS` seconds (one spammer counts once).
// Baseline: exponentially weighted mean and variance of that signal, frozen while chat is
// elevated so a spike does not raise its own bar, re-learnt during cooldown so a lasting step
// up (a raid that stays) becomes the new normal. Score: the window's surprise, -log10 of the
// probability of at least that many chatters under an over-dispersed count model with the
// baseline's mean and variance (count-tail.ts): one threshold means the same false-alarm rate
// for a channel at 0.2 and at 200 messages/s.
import type { DetectorParams } from './detector-params.ts';
import { surprise } from './count-tail.ts';
import { explainMoment } from './explain-moment.ts';
import { momentId, type Moment } from './moment.ts';
import type { SecondBucket } from './second-bucket.ts';
import { SlidingDistinct } from './sliding-distinct.ts';
import { WindowBaseline } from './window-baseline.ts';

interface OpenMoment {
  startSecond: number;
  seconds: SecondBucket[];
  score: number;
  /** The window that scored highest at the peak, and what it saw: for the explanation. */
  peakWidthS: number;
  peakChatters: number;
  peakBaselineChatters: number;
  peakMessages: number;
  quietSeconds: number;
}

export class SpikeDetector {
  private readonly params: DetectorParams;
  private readonly channelId: string;
  private readonly alpha: number;
  /** Distinct reacting chatters over the widest window; every scale reads its own width. */
  private readonly reacting: SlidingDistinct;
  private readonly scales: WindowBaseline[];
  /** Testing several windows raises the chance of a fluke: a Bonferroni correction. */
  private readonly multipleTestingPenalty: number;
  /** The last seconds (as many as the widest window), so a moment can start before it fired. */
  private readonly recent: SecondBucket[] = [];
  private readonly recentLength: number;
  private observed = 0;
  private messageRate = 0;
  private open: OpenMoment | null = null;
  private cooldownUntil = Number.NEGATIVE_INFINITY;

  constructor(params: DetectorParams, channelId: string) {
    this.params = params;
    this.channelId = channelId;
    this.alpha = 1 - 2 ** (-1 / params.baselineHalfLifeS);
    this.recentLength = Math.max(...params.windowsS);
    this.reacting = new SlidingDistinct(this.recentLength);
    this.scales = params.windowsS.map((width) => new WindowBaseline(width, this.reacting));
    this.multipleTestingPenalty = Math.log10(this.scales.length);
  }

  /** Feeds one closed second; returns a moment when one ends with it. */
  observe(bucket: SecondBucket, channel: string): Moment | null {
    this.reacting.add(bucket.second, bucket.items, bucket.reacting);
    for (const scale of this.scales) scale.update();
    this.remember(bucket);
    const { score, scale } = this.score();

    if (this.open) return this.continueMoment(bucket, score, scale, channel);
    if (this.shouldOpen(bucket.second, score, scale)) {
      this.openMoment(score, scale);
      return null;
    }
    if (score < this.params.exitThreshold || bucket.second < this.cooldownUntil) {
      this.learn(bucket.reactions);
    }
    return null;
  }

  /** Ends an open moment at the end of input. */
  finish(channel: string): Moment | null {
    return this.open ? this.closeMoment(channel) : null;
  }

  /** The most surprising window, corrected for having looked at several. */
  private score(): { score: number; scale: WindowBaseline } {
    let best = this.scales[0]!;
    let bestSurprise = 0;
    if (this.observed >= this.params.warmupS) {
      for (const scale of this.scales) {
        const value = scale.surprise(
          this.params.minBaselineChatters * (scale.widthS / this.shortest.widthS),
        );
        if (value > bestSurprise) {
          bestSurprise = value;
          best = scale;
        }
      }
    }
    return { score: Math.max(0, bestSurprise - this.multipleTestingPenalty), scale: best };
  }

  private get shortest(): WindowBaseline {
    return this.scales[0]!;
  }

  private shouldOpen(second: number, score: number, scale: WindowBaseline): boolean {
    return (
      score >= this.params.threshold &&
      scale.chatters >= this.params.minChatters &&
      second >= this.cooldownUntil
    );
  }

  private openMoment(score: number, scale: WindowBaseline): void {
    const perSecond = this.perSecondBaseline();
    const window = this.recent.slice(-scale.widthS);
    const firstElevated = window.findIndex((bucket) => isElevated(bucket, perSecond));
    const seconds = window.slice(Math.max(0, firstElevated));
    this.open = {
      startSecond: seconds[0]!.second,
      seconds,
      quietSeconds: 0,
      ...this.peak(score, scale),
    };
  }

  private peak(score: number, scale: WindowBaseline) {
    return {
      score,
      peakWidthS: scale.widthS,
      peakChatters: scale.chatters,
      peakBaselineChatters: scale.mean,
      peakMessages: sumReactions(this.recent.slice(-scale.widthS)),
    };
  }

  private continueMoment(
    bucket: SecondBucket,
    score: number,
    scale: WindowBaseline,
    channel: string,
  ): Moment | null {
    const open = this.open!;
    open.seconds.push(bucket);
    if (score > open.score) Object.assign(open, this.peak(score, scale));
    open.quietSeconds = score < this.params.exitThreshold ? open.quietSeconds + 1 : 0;
    const tooLong = bucket.second - open.startSecond + 1 >= this.params.maxMomentS;
    return open.quietSeconds >= this.params.closeAfterS || tooLong
      ? this.closeMoment(channel)
      : null;
  }

  private closeMoment(channel: string): Moment {
    const open = this.open!;
    this.open = null;
    const lastSecond = open.seconds[open.seconds.length - 1]!.second;
    this.cooldownUntil = lastSecond + 1 + this.params.cooldownS;

    const active = trimQuietTail(open.seconds, this.perSecondBaseline());
    const peak = active.reduce((best, bucket) => (bucket.reacting > best.reacting ? bucket : best));
    const startTs = open.startSecond * 1000;
    return {
      id: momentId(this.channelId, startTs),
      channel_id: this.channelId,
      channel,
      start_ts: startTs,
      peak_ts: peak.second * 1000,
      end_ts: (active[active.length - 1]!.second + 1) * 1000,
      score: round(open.score, 2),
      explanation: explainMoment(active, {
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
    if (this.observed === 0 && this.shortest.chatters === 0) return;
    this.observed += 1;
    // Plain average while warming up, so the first minute does not lean on the initial zero.
    const alpha = Math.max(this.alpha, 1 / this.observed);
    for (const scale of this.scales) scale.learn(alpha);
    this.messageRate += alpha * (reactions - this.messageRate);
  }

  private remember(bucket: SecondBucket): void {
    this.recent.push(bucket);
    if (this.recent.length > this.recentLength) this.recent.shift();
  }

  /** Reacting chatters a normal second has, from the shortest window. */
  private perSecondBaseline(): number {
    return this.shortest.mean / this.shortest.widthS;
  }
}
/** Chance below which one second's chatters count as part of the moment (p < 0.05). */
const ELEVATED_SURPRISE = -Math.log10(0.05);

/** A second whose own reacting chatters would be unusual (p < 0.05) for a normal second. */
function isElevated(bucket: SecondBucket, perSecondBaseline: number): boolean {
  const mean = Math.max(perSecondBaseline, 0.05);
  return surprise(bucket.reacting, mean, mean) >= ELEVATED_SURPRISE;
}

/** The window keeps a moment open a few seconds after chat calmed down; the moment ends earlier. */
function trimQuietTail(seconds: SecondBucket[], perSecondBaseline: number): SecondBucket[] {
  let last = seconds.length - 1;
  while (last > 0 && !isElevated(seconds[last]!, perSecondBaseline)) last -= 1;
  return seconds.slice(0, last + 1);
}

function sumReactions(buckets: SecondBucket[]): number {
  return buckets.reduce((sum, bucket) => sum + bucket.reactions, 0);
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
