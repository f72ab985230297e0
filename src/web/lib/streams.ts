import type { StreamSummary } from '../backend/types.ts';

export function displayName(stream: Pick<StreamSummary, 'channel' | 'display_name'>): string {
  return stream.display_name ?? stream.channel;
}

/** Live streams first, then by audience; unknown viewer counts last. */
export function sortStreams(streams: readonly StreamSummary[]): StreamSummary[] {
  return [...streams].sort(
    (a, b) =>
      Number(b.live) - Number(a.live) ||
      (b.viewers ?? -1) - (a.viewers ?? -1) ||
      a.channel.localeCompare(b.channel),
  );
}

export function findStream(
  streams: readonly StreamSummary[],
  channel: string,
): StreamSummary | undefined {
  const login = channel.toLowerCase();
  return streams.find(
    (stream) => stream.channel.toLowerCase() === login || stream.channel_id === channel,
  );
}

/** Login -> display name, for views that only carry the login (moments). */
export function displayNames(streams: readonly StreamSummary[]): ReadonlyMap<string, string> {
  return new Map(streams.map((stream) => [stream.channel, displayName(stream)]));
}
