import { describe, expect, it } from 'vitest';
import type { ChannelMetrics } from '../../src/web/backend/types.ts';
import { mergeMetrics } from '../../src/web/lib/metrics.ts';
import { addRates, RATE_HISTORY_POINTS } from '../../src/web/lib/rate-history.ts';

function window(ts: number, chatRate = 1): ChannelMetrics {
  return {
    channel_id: '1',
    channel: 'alpha',
    ts,
    window_ms: 60_000,
    messages: chatRate * 60,
    chat_rate: chatRate,
    unique_chatters: 10,
    viewers: null,
    top_emotes: [],
  };
}

describe('metrics series', () => {
  it('replaces a recomputed window and keeps the span before the newest one', () => {
    const merged = mergeMetrics(
      [window(0), window(10_000), window(20_000)],
      [window(20_000, 7), window(30_000)],
      20_000,
    );
    expect(merged.map((entry) => [entry.ts, entry.chat_rate])).toEqual([
      [10_000, 1],
      [20_000, 7],
      [30_000, 1],
    ]);
  });

  it('keeps a short, ordered rate history per channel', () => {
    const windows = Array.from({ length: RATE_HISTORY_POINTS + 5 }, (_, index) =>
      window((RATE_HISTORY_POINTS + 5 - index) * 10_000, index),
    );
    const history = addRates(new Map(), windows);
    const points = history.get('1') ?? [];
    expect(points).toHaveLength(RATE_HISTORY_POINTS);
    expect(points.map((point) => point.ts)).toEqual(
      [...points.map((point) => point.ts)].sort((a, b) => a - b),
    );
    expect(
      addRates(history, [{ channel_id: '1', ts: points.at(-1)!.ts, chat_rate: 99 }])
        .get('1')
        ?.at(-1),
    ).toEqual({ ts: points.at(-1)!.ts, rate: 99 });
  });
});
