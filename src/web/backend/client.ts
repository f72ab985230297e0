// Typed calls to the REST API. Every call takes an AbortSignal so a page can cancel on unmount.
import type {
  ChannelMetricsResponse,
  ClipsResponse,
  MomentsResponse,
  StreamsResponse,
} from './types.ts';

export class ApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

type Query = Record<string, string | number | undefined>;

function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // Not a JSON error body (a proxy's HTML page, for instance): fall back to the status line.
  }
  return `The server answered ${response.status} ${response.statusText}`.trim();
}

async function request(path: string, signal: AbortSignal): Promise<Response> {
  try {
    return await fetch(path, { signal, headers: { accept: 'application/json' } });
  } catch (error) {
    if (signal.aborted) throw error;
    // fetch rejects only when no answer came at all; its own message ("Failed to fetch") says less.
    throw new ApiError(0, 'The Stream Scout server cannot be reached.');
  }
}

async function getJson<T>(path: string, signal: AbortSignal): Promise<T> {
  const response = await request(path, signal);
  if (!response.ok) throw new ApiError(response.status, await errorMessage(response));
  return (await response.json()) as T;
}

export function fetchStreams(signal: AbortSignal): Promise<StreamsResponse> {
  return getJson('/api/v1/streams', signal);
}

export interface MetricsRange {
  from?: number;
  to?: number;
  limit?: number;
}

export function fetchChannelMetrics(
  channel: string,
  range: MetricsRange,
  signal: AbortSignal,
): Promise<ChannelMetricsResponse> {
  const path = `/api/v1/streams/${encodeURIComponent(channel)}/metrics`;
  return getJson(withQuery(path, { ...range }), signal);
}

/** A page of a keyset-paginated feed (moments, clips). */
export interface FeedPageQuery {
  channel?: string;
  minScore?: number;
  limit?: number;
  cursor?: string;
}

function feedPath(path: string, { channel, minScore, limit, cursor }: FeedPageQuery): string {
  return withQuery(path, { channel, min_score: minScore, limit, cursor });
}

export function fetchMoments(query: FeedPageQuery, signal: AbortSignal): Promise<MomentsResponse> {
  return getJson(feedPath('/api/v1/moments', query), signal);
}

export function fetchClips(query: FeedPageQuery, signal: AbortSignal): Promise<ClipsResponse> {
  return getJson(feedPath('/api/v1/clips', query), signal);
}
