// The HTTP and WebSocket contract of /api/v1, typed once on the server and reused here.
import type { ChannelMetrics } from '../../processing/channel-metrics.ts';
import type { StreamSummary } from '../../storage/store.ts';
import type { FeedClip, FeedMoment } from '../../api/feed-clip.ts';

export type { ChannelMetrics } from '../../processing/channel-metrics.ts';
export type { Ranked } from '../../processing/moment.ts';
export type { StreamSummary } from '../../storage/store.ts';
export type { FeedClip, FeedMomentClip } from '../../api/feed-clip.ts';
/** A moment as the API sends it: with its clip, or null. */
export type Moment = FeedMoment;

export interface StreamsResponse {
  streams: StreamSummary[];
}

export interface ChannelMetricsResponse {
  channel_id: string;
  channel: string;
  metrics: ChannelMetrics[];
}

export interface MomentPage {
  moments: Moment[];
  next_cursor: string | null;
}

export type MomentsResponse = MomentPage;

export interface ClipsResponse {
  clips: FeedClip[];
  next_cursor: string | null;
}

export type LiveMessage =
  | { type: 'hello' }
  | { type: 'moment'; moment: Moment }
  | { type: 'metrics'; metrics: ChannelMetrics[] };
