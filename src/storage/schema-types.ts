// Row types of the PostgreSQL tables, as Kysely sees them. Timestamps are timestamptz:
// `pg` reads them as Date; the store converts to and from epoch ms at its edges.
import type { ColumnType, Generated } from 'kysely';

/** A timestamptz column: read as Date, written as Date. */
type Timestamp = ColumnType<Date, Date, Date>;
/** A timestamptz column the database fills in by default. */
type DefaultTimestamp = ColumnType<Date, Date | undefined, Date>;
/** A jsonb column: read as parsed JSON, written as a JSON string (pg would turn JS arrays into SQL arrays). */
type Json<T> = ColumnType<T, string, string>;

export interface RankedJson {
  name: string;
  count: number;
}

export interface StreamersTable {
  /** Twitch user id of the broadcaster. */
  id: string;
  login: string;
  display_name: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface StreamsTable {
  /** Twitch stream id, or one derived from channel id + start time (see lifecycle.ts). */
  id: string;
  channel_id: string;
  title: string | null;
  game: string | null;
  language: string | null;
  started_at: Timestamp;
  /** Null while the stream is live. */
  ended_at: Timestamp | null;
  viewers: number | null;
  peak_viewers: number | null;
  /** Time of the viewer count in `viewers`, so an older sample never overwrites a newer one. */
  viewers_at: Timestamp | null;
  updated_at: DefaultTimestamp;
}

export interface ViewerCountsTable {
  channel_id: string;
  ts: Timestamp;
  viewers: number;
}

export interface StreamMetricsTable {
  channel_id: string;
  /** End of the window. */
  ts: Timestamp;
  window_ms: number;
  messages: number;
  chat_rate: number;
  unique_chatters: number;
  viewers: number | null;
  top_emotes: Json<RankedJson[]>;
}

export interface MomentsTable {
  id: string;
  channel_id: string;
  channel: string;
  start_ts: Timestamp;
  peak_ts: Timestamp;
  end_ts: Timestamp;
  score: number;
  explanation: Json<unknown>;
  /** The first write's wall clock (the moment first seen, usually while live): never updated. */
  detected_at: DefaultTimestamp;
  /** The moment is still open: the row is what was known so far, rewritten until it ends. */
  live: ColumnType<boolean, boolean | undefined, boolean>;
  /** Wall clock of the write that made the row final; null while live. */
  final_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface ClipsTable {
  clip_id: string;
  moment_id: string | null;
  channel_id: string;
  url: string;
  embed_url: string;
  thumbnail_url: string | null;
  title: string | null;
  detected_at: Timestamp;
  created_at: Timestamp;
  intensity: number;
  duration: number | null;
  vod_offset: number | null;
  seq: Generated<string>;
  peak_ts: Date | null;
  clip_start_ts: Date | null;
  clip_end_ts: Date | null;
  edit_url: string | null;
  video_id: string | null;
  creator_id: string | null;
}

export type ClipAttemptState =
  'pending' | 'calling' | 'uncertain' | 'created' | 'done' | 'failed' | 'skipped';

export interface ClipAttemptsTable {
  moment_id: string;
  channel_id: string;
  channel: string;
  start_ts: Timestamp;
  peak_ts: Timestamp;
  score: number;
  title: string;
  state: ClipAttemptState;
  reason: string | null;
  detail: string | null;
  clip_by: Timestamp;
  next_try_at: DefaultTimestamp;
  calls: Generated<number>;
  checks: Generated<number>;
  lease_owner: string | null;
  lease_until: Date | null;
  called_at: Date | null;
  clip_id: string | null;
  edit_url: string | null;
  duration_s: number | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ClipCallsTable {
  id: Generated<string>;
  moment_id: string;
  channel_id: string;
  called_at: DefaultTimestamp;
}

export interface ClipChannelBlocksTable {
  channel_id: string;
  blocked_until: Timestamp;
  reason: string;
  blocked_at: DefaultTimestamp;
}

export interface Database {
  streamers: StreamersTable;
  streams: StreamsTable;
  viewer_counts: ViewerCountsTable;
  stream_metrics: StreamMetricsTable;
  moments: MomentsTable;
  clips: ClipsTable;
  clip_attempts: ClipAttemptsTable;
  clip_calls: ClipCallsTable;
  clip_channel_blocks: ClipChannelBlocksTable;
}
