// A moment: a span of a stream where chat reacted far beyond its normal level.
import { createHash } from 'node:crypto';

export interface Ranked {
  name: string;
  count: number;
}

/**
 * What the detector counts in a window: distinct reacting chatters (the primary signal: one
 * spammer counts once), reactions (messages that passed the chat filter), and reactions that
 * carry an emote (an emote burst: a steady chat that suddenly all posts KEKW).
 */
export const SIGNALS = ['chatters', 'messages', 'emotes'] as const;
export type Signal = (typeof SIGNALS)[number];

export interface MomentExplanation {
  /** One sentence a person can read: why this fired. */
  summary: string;
  /** The signal that was most surprising at the peak (absent on moments stored by earlier versions). */
  signal?: Signal;
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
