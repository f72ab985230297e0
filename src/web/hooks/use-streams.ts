import { useMemo } from 'react';
import { fetchStreams } from '../backend/client.ts';
import type { StreamSummary } from '../backend/types.ts';
import { sortStreams } from '../lib/streams.ts';
import { usePoll } from './use-poll.ts';

export const STREAMS_REFRESH_MS = 5_000;

export interface StreamsState {
  /** Null until the first answer. */
  streams: StreamSummary[] | null;
  error: Error | null;
}

async function loadStreams(signal: AbortSignal): Promise<StreamSummary[]> {
  const { streams } = await fetchStreams(signal);
  return sortStreams(streams);
}

export function useStreams(): StreamsState {
  const { data, error } = usePoll(loadStreams, STREAMS_REFRESH_MS);
  return useMemo(() => ({ streams: data, error }), [data, error]);
}
