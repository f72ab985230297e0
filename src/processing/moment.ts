// A moment: a span of a stream where chat reacted far beyond its normal level.
import { createHash } from 'node:crypto';

export interface Ranked {
  name: string;
  count: number;
}

export interface MomentExplanation {
  /** One sentence a person can read: why this fired. */
  summary: string;
  /** Messages per second in the detection window at the peak. */
  rate: number;
  /** Messages per second the channel normally has (the baseline). */
  baseline_rate: number;
  /** Distinct chatters per second at the peak vs normal. */
  chatters_rate: number;
  baseline_chatters_rate: number;
  /** Distinct chatters over the whole moment. */
  unique_chatters: number;
  messages: number;
  top_emotes: Ranked[];
  top_phrases: Ranked[];
  samples: string[];
}

export interface Moment {
  /** Deterministic from channel and start second: re-processing yields the same id. */
  id: string;
  channel_id: string;
  channel: string;
  start_ts: number;
  peak_ts: number;
  end_ts: number;
  score: number;
  explanation: MomentExplanation;
}

export function momentId(channelId: string, startTs: number): string {
  const startSecond = Math.floor(startTs / 1000);
  return createHash('sha256')
    .update(`moment:${channelId}:${startSecond}`)
    .digest('hex')
    .slice(0, 32);
}
