// Live metrics of one channel over a sliding window (1 minute, advancing every 10 s).
import type { Ranked } from './moment.ts';

export interface ChannelMetrics {
  channel_id: string;
  channel: string;
  /** End of the window (epoch ms, a multiple of the step). */
  ts: number;
  window_ms: number;
  messages: number;
  /** Messages per second over the window. */
  chat_rate: number;
  unique_chatters: number;
  /** Latest viewer count known at the end of the window, if any. */
  viewers: number | null;
  top_emotes: Ranked[];
}
