// The last hour of one channel's live-metrics windows, kept current by live pushes.
import { useEffect, useState } from 'react';
import { ApiError, fetchChannelMetrics } from '../backend/client.ts';
import type { ChannelMetrics } from '../backend/types.ts';
import { isChannel, mergeMetrics } from '../lib/metrics.ts';
import { useLiveMessages, useReconnects } from './use-live.ts';
import { asError } from '../lib/errors.ts';

const METRICS_SPAN_MS = 60 * 60_000;
/** One window every 10 s over the span, plus the one at its start. */
const METRICS_LIMIT = METRICS_SPAN_MS / 10_000 + 1;

export interface ChannelMetricsState {
  metrics: ChannelMetrics[];
  loaded: boolean;
  error: Error | null;
}

/** Callers key their component by channel: the state belongs to one channel. */
export function useChannelMetrics(channel: string): ChannelMetricsState {
  const [state, setState] = useState<ChannelMetricsState>({
    metrics: [],
    loaded: false,
    error: null,
  });
  const reconnects = useReconnects();

  useEffect(() => {
    const controller = new AbortController();
    const range = { from: Date.now() - METRICS_SPAN_MS, limit: METRICS_LIMIT };
    fetchChannelMetrics(channel, range, controller.signal).then(
      ({ metrics }) =>
        setState((previous) => ({
          metrics: mergeMetrics(previous.metrics, metrics, METRICS_SPAN_MS),
          loaded: true,
          error: null,
        })),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        // An unknown channel simply has no metrics; the page header says it is not followed.
        const unknown = error instanceof ApiError && error.status === 404;
        setState((previous) => ({
          ...previous,
          loaded: unknown,
          error: unknown ? null : asError(error),
        }));
      },
    );
    return () => controller.abort();
  }, [channel, reconnects]);

  useLiveMessages((message) => {
    if (message.type !== 'metrics') return;
    const windows = message.metrics.filter((window) => isChannel(window, channel));
    if (windows.length === 0) return;
    setState((previous) => ({
      ...previous,
      metrics: mergeMetrics(previous.metrics, windows, METRICS_SPAN_MS),
    }));
  });

  return state;
}
