// Sparkline data: seeded once per channel from the metrics API, then fed by live pushes and
// by each refresh of the stream list, so it keeps moving even when one source stalls.
import { useEffect, useRef, useState } from 'react';
import { fetchChannelMetrics } from '../backend/client.ts';
import type { StreamSummary } from '../backend/types.ts';
import { addRates, RATE_HISTORY_POINTS, type RateHistory } from '../lib/rate-history.ts';
import { useLiveMessages } from './use-live.ts';

const SEED_SPAN_MS = RATE_HISTORY_POINTS * 10_000;

function latestRates(streams: readonly StreamSummary[]) {
  return streams.flatMap(({ channel_id, metrics_ts, chat_rate }) =>
    metrics_ts !== null && chat_rate !== null ? [{ channel_id, ts: metrics_ts, chat_rate }] : [],
  );
}

export function useRateHistory(streams: readonly StreamSummary[] | null): RateHistory {
  const [history, setHistory] = useState<RateHistory>(() => new Map());
  const seeded = useRef(new Set<string>());

  useEffect(() => {
    if (streams) setHistory((previous) => addRates(previous, latestRates(streams)));
  }, [streams]);

  useEffect(() => {
    const controller = new AbortController();
    for (const stream of streams ?? []) {
      if (seeded.current.has(stream.channel_id) || stream.metrics_ts === null) continue;
      seeded.current.add(stream.channel_id);
      const range = { from: stream.metrics_ts - SEED_SPAN_MS, limit: RATE_HISTORY_POINTS + 1 };
      fetchChannelMetrics(stream.channel, range, controller.signal).then(
        ({ metrics }) => setHistory((previous) => addRates(previous, metrics)),
        () => seeded.current.delete(stream.channel_id),
      );
    }
    return () => controller.abort();
  }, [streams]);

  useLiveMessages((message) => {
    if (message.type === 'metrics') setHistory((previous) => addRates(previous, message.metrics));
  });

  return history;
}
