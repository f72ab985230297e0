// The HTTP and WebSocket contract of /api/v1, typed once on the server and reused here.
import type { ChannelMetrics } from '../../processing/channel-metrics.ts';
import type { Moment } from '../../processing/moment.ts';
import type { MomentPage, StreamSummary } from '../../storage/store.ts';
import type { FeedClip } from '../../api/feed-clip.ts';

export type { ChannelMetrics } from '../../processing/channel-metrics.ts';
export type { Moment, Ranked } from '../../processing/moment.ts';
export type { MomentPage, StreamSummary } from '../../storage/store.ts';
export type { FeedClip } from '../../api/feed-clip.ts';

export interface StreamsResponse {
  streams: StreamSummary[];
}

export interface ChannelMetricsResponse {
  channel_id: string;
  channel: string;
  metrics: ChannelMetrics[];
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
