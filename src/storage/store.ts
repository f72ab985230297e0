// What the pipeline and the API need from storage. PostgreSQL implements it (postgres-store.ts).
import type { Lifecycle, Viewers } from '../events/schema.ts';
import type { ChannelMetrics } from '../processing/channel-metrics.ts';
import type { Moment } from '../processing/moment.ts';
import type { ClipCandidate } from '../clips/clip-candidate.ts';

export interface StreamSummary {
  channel_id: string;
  channel: string;
  display_name: string | null;
  live: boolean;
  title: string | null;
  game: string | null;
  language: string | null;
  /** Epoch ms, null when unknown. */
  started_at: number | null;
  viewers: number | null;
  /** From the newest live-metrics window of the channel (null before the first one). */
  chat_rate: number | null;
  unique_chatters: number | null;
  metrics_ts: number | null;
  /** Moments of this channel in the last hour before the newest metrics window. */
  recent_moments: number;
}

/** A newest-first feed read with a keyset cursor (moments, clips). */
export interface FeedQuery {
  /** Login or Twitch user id. */
  channel?: string;
  /** Epoch ms, inclusive, on the feed's time (a moment's start_ts, a clip's detected_at). */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** On the moment's score (a clip's intensity). */
  minScore?: number;
  limit: number;
  /** Opaque keyset cursor from a previous page. */
  cursor?: string;
}

export type MomentQuery = FeedQuery;

/** What the moments feed shows of the clip taken for a moment. */
export type MomentClip = Pick<
  Clip,
  | 'clip_id'
  | 'url'
  | 'embed_url'
  | 'thumbnail_url'
  | 'duration'
  | 'peak_ts'
  | 'clip_start_ts'
  | 'clip_end_ts'
>;

/** A moment and its clip: null until one is stored (it may be stored before the moment ends). */
export interface MomentWithClip extends Moment {
  /** Still open: what was known so far; the row is rewritten until the moment ends. */
  live: boolean;
  clip: MomentClip | null;
}

export interface MomentPage {
  moments: MomentWithClip[];
  next_cursor: string | null;
}

export interface MetricsQuery {
  channel: string;
  from?: number;
  to?: number;
  limit: number;
}

export interface Clip {
  clip_id: string;
  moment_id: string | null;
  channel_id: string;
  channel: string;
  url: string;
  embed_url: string;
  thumbnail_url: string | null;
  title: string | null;
  /** Epoch ms when the moment behind the clip was detected. */
  detected_at: number;
  created_at: number;
  intensity: number;
  duration: number | null;
  vod_offset: number | null;
  /** Epoch ms of the moment's peak (null for clips stored before clips were taken at peaks). */
  peak_ts: number | null;
  /** The stretch of the stream the clip covers, as estimated when Create Clip was called (epoch ms). */
  clip_start_ts: number | null;
  clip_end_ts: number | null;
  edit_url: string | null;
  /** The VOD the clip was cut from, and who created it (our token's user), from Get Clips. */
  video_id: string | null;
  creator_id: string | null;
}

export interface ClipQuery {
  /** Epoch ms, inclusive, on detected_at. */
  start?: number;
  end?: number;
  minIntensity?: number;
  limit: number;
  offset: number;
}

/** The clips feed: newest stored first, keyset-paginated on the order clips were stored in. */
export type ClipPageQuery = FeedQuery;

export interface ClipPage {
  clips: Clip[];
  next_cursor: string | null;
}

export interface Store {
  /** Streamers, streams and viewer counts from lifecycle / viewer events (idempotent). */
  applyLifecycle(events: Lifecycle[]): Promise<void>;
  recordViewers(events: Viewers[]): Promise<void>;
  /** Upserts by (channel_id, ts): re-processing the same window overwrites, never duplicates. */
  saveMetrics(metrics: ChannelMetrics[]): Promise<void>;
  /**
   * Upserts by moment id and notifies listeners (see listenForMoments): `moments` ended (final
   * rows), `live` are still open (live rows, never replacing a final one).
   */
  saveMoments(moments: readonly Moment[], live?: readonly Moment[]): Promise<void>;
  /** Upserts by clip_id and notifies moment listeners of the clip's moment. */
  saveClip(clip: Clip): Promise<void>;
  /** Adds moments to the clip outbox; a moment already there is left as it is. */
  recordClipCandidates(candidates: ClipCandidate[]): Promise<void>;

  listStreams(): Promise<StreamSummary[]>;
  /** Null when the channel (login or id) is unknown. */
  channelMetrics(
    query: MetricsQuery,
  ): Promise<{ channel_id: string; channel: string; metrics: ChannelMetrics[] } | null>;
  listMoments(query: MomentQuery): Promise<MomentPage>;
  /** The seed's feed: offset pagination, with the total. */
  listClips(query: ClipQuery): Promise<{ clips: Clip[]; total_count: number }>;
  /** Newest stored first; a later page never repeats a clip nor skips one stored before the first page. */
  listClipPage(query: ClipPageQuery): Promise<ClipPage>;

  /**
   * Calls `onMoment` for every moment saved by any process sharing the database, and again
   * with its clip when a clip of it is stored.
   */
  listenForMoments(onMoment: (moment: MomentWithClip) => void): Promise<() => Promise<void>>;
  /** Calls `onMetrics` with each batch of live-metrics windows saved by any process. */
  listenForMetrics(onMetrics: (metrics: ChannelMetrics[]) => void): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
