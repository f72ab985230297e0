// Time series of one channel's live-metrics windows, oldest first, one entry per window end.
import type { ChannelMetrics } from '../backend/types.ts';

/**
 * Merges windows by `ts` (a recomputed window replaces the old one) and keeps the `spanMs`
 * before the newest window: measured on the server's clock, whatever the browser's says.
 */
export function mergeMetrics(
  current: readonly ChannelMetrics[],
  incoming: readonly ChannelMetrics[],
  spanMs: number,
): ChannelMetrics[] {
  const byTs = new Map(current.map((window) => [window.ts, window]));
  for (const window of incoming) byTs.set(window.ts, window);
  const merged = [...byTs.values()].sort((a, b) => a.ts - b.ts);
  const newest = merged.at(-1)?.ts ?? 0;
  return merged.filter((window) => window.ts >= newest - spanMs);
}

export function isChannel(window: ChannelMetrics, channel: string): boolean {
  return window.channel.toLowerCase() === channel.toLowerCase() || window.channel_id === channel;
}
