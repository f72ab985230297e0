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

interface OpenMoment {
  startSecond: number;
  seconds: SecondBucket[];
  score: number;
  peakWindowChatters: number;
  peakWindowMessages: number;
  quietSeconds: number;
}

export class SpikeDetector {
  private readonly params: DetectorParams;
  private readonly channelId: string;
  private readonly alpha: number;
  private readonly window: SlidingDistinct;
  /** The last `windowS` seconds, so a moment can start before the second it fired. */
  private readonly recent: SecondBucket[] = [];
  private observed = 0;
  private mean = 0;
  private variance = 0;
  private messageRate = 0;
  private open: OpenMoment | null = null;
  private cooldownUntil = Number.NEGATIVE_INFINITY;

  constructor(params: DetectorParams, channelId: string) {
    this.params = params;
    this.channelId = channelId;
    this.alpha = 1 - 2 ** (-1 / params.baselineHalfLifeS);
    this.window = new SlidingDistinct(params.windowS);
  }

  /** Feeds one closed second; returns a moment when one ends with it. */
  observe(bucket: SecondBucket, channel: string): Moment | null {
    this.window.add(bucket.second, bucket.reactingChatters);
    this.remember(bucket);
    const chatters = this.window.count;
    const score = this.score(chatters);

    if (this.open) return this.continueMoment(bucket, score, chatters, channel);
    if (this.shouldOpen(bucket.second, score, chatters)) {
      this.openMoment(score, chatters);
      return null;
    }
    if (score < this.params.exitThreshold || bucket.second < this.cooldownUntil) {
      this.learn(chatters, bucket.reactions);
    }
    return null;
  }

  /** Ends an open moment at the end of input. */
  finish(channel: string): Moment | null {
    return this.open ? this.closeMoment(channel) : null;
  }

  private score(chatters: number): number {
    if (this.observed < this.params.warmupS) return 0;
    const mean = Math.max(this.mean, this.params.minBaselineChatters);
    return surprise(chatters, mean, Math.max(this.variance, mean));
  }

  private shouldOpen(second: number, score: number, chatters: number): boolean {
    return (
      score >= this.params.threshold &&
      chatters >= this.params.minChatters &&
      second >= this.cooldownUntil
    );
  }

  private openMoment(score: number, chatters: number): void {
    const perSecond = this.perSecondBaseline();
    const firstElevated = this.recent.findIndex((bucket) => isElevated(bucket, perSecond));
    const seconds = this.recent.slice(Math.max(0, firstElevated));
    this.open = {
      startSecond: seconds[0]!.second,
      seconds,
      score,
      peakWindowChatters: chatters,
      peakWindowMessages: sumReactions(this.recent),
      quietSeconds: 0,
    };
  }

  private continueMoment(
    bucket: SecondBucket,
    score: number,
    chatters: number,
    channel: string,
  ): Moment | null {
    const open = this.open!;
    open.seconds.push(bucket);
    if (score > open.score) {
      open.score = score;
      open.peakWindowChatters = chatters;
      open.peakWindowMessages = sumReactions(this.recent);
    }
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

    const perSecond = this.perSecondBaseline();
    const active = trimQuietTail(open.seconds, perSecond);
    const peak = active.reduce((best, bucket) =>
      bucket.reactingChatters.size > best.reactingChatters.size ? bucket : best,
    );
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
        rate: open.peakWindowMessages / this.params.windowS,
        baselineRate: this.messageRate,
        chattersRate: open.peakWindowChatters / this.params.windowS,
        baselineChattersRate: perSecond,
      }),
    };
  }

  private learn(chatters: number, reactions: number): void {
    // Silence before a channel's first message (a stream just announced online) is not its
    // normal level: the warm-up starts with the chat.
    if (this.observed === 0 && chatters === 0) return;
    this.observed += 1;
    // Plain average while warming up, so the first minute does not lean on the initial zero.
    const alpha = Math.max(this.alpha, 1 / this.observed);
    const diff = chatters - this.mean;
    const increment = alpha * diff;
    this.mean += increment;
    this.variance = (1 - alpha) * (this.variance + diff * increment);
    this.messageRate += alpha * (reactions - this.messageRate);
  }

  private remember(bucket: SecondBucket): void {
    this.recent.push(bucket);
    if (this.recent.length > this.params.windowS) this.recent.shift();
  }

  private perSecondBaseline(): number {
    return this.mean / this.params.windowS;
  }
}

/** A second clearly above the per-second baseline (at least one reacting chatter). */
function isElevated(bucket: SecondBucket, perSecondBaseline: number): boolean {
  const size = bucket.reactingChatters.size;
  return size >= 1 && size > perSecondBaseline + Math.sqrt(perSecondBaseline);
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
