// Recent chat rates per channel for the stream list's sparklines, oldest first.
import type { ChannelMetrics } from '../backend/types.ts';

export interface RatePoint {
  ts: number;
  rate: number;
}

export type RateHistory = ReadonlyMap<string, readonly RatePoint[]>;

/** Five minutes of 10 s windows. */
export const RATE_HISTORY_POINTS = 30;

export function addRates(
  history: RateHistory,
  windows: readonly Pick<ChannelMetrics, 'channel_id' | 'ts' | 'chat_rate'>[],
): RateHistory {
  if (windows.length === 0) return history;
  const next = new Map(history);
  for (const { channel_id, ts, chat_rate } of windows) {
    const points = (next.get(channel_id) ?? []).filter((point) => point.ts !== ts);
    points.push({ ts, rate: chat_rate });
    points.sort((a, b) => a.ts - b.ts);
    next.set(channel_id, points.slice(-RATE_HISTORY_POINTS));
  }
  return next;
}
