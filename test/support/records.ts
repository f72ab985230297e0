// Builders of what the pipeline stores: moments, metrics windows, lifecycle and viewer events, clips.
import type { Lifecycle, Viewers } from '../../src/events/schema.ts';
import type { ChannelMetrics } from '../../src/processing/channel-metrics.ts';
import { momentId, type Moment } from '../../src/processing/moment.ts';
import type { Clip, MomentWithClip } from '../../src/storage/store.ts';

/** 2024-05-01T12:00:00Z: a fixed origin keeps timestamps readable in failures. */
export const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

export function moment(overrides: Partial<Moment> & { start_ts: number }): Moment {
  const channelId = overrides.channel_id ?? '1001';
  return {
    id: momentId(channelId, overrides.start_ts),
    channel_id: channelId,
    channel: 'alpha',
    peak_ts: overrides.start_ts + 3_000,
    end_ts: overrides.start_ts + 10_000,
    score: 6.5,
    explanation: {
      summary: 'chat ran 6.5 times its usual rate',
      rate: 12,
      baseline_rate: 2,
      chatters_rate: 9,
      baseline_chatters_rate: 1.5,
      unique_chatters: 40,
      messages: 120,
      top_emotes: [{ name: 'PogChamp', count: 30 }],
      top_phrases: [{ name: 'no way', count: 12 }],
      samples: ['NO WAY', 'PogChamp PogChamp'],
    },
    ...overrides,
  };
}

/** A moment as the store reads it back before any clip of it is stored (final unless `live`). */
export function unclipped(saved: Moment, live = false): MomentWithClip {
  return { ...saved, live, clip: null };
}

export function metricsWindow(overrides: Partial<ChannelMetrics> & { ts: number }): ChannelMetrics {
  return {
    channel_id: '1001',
    channel: 'alpha',
    window_ms: 60_000,
    messages: 120,
    chat_rate: 2,
    unique_chatters: 35,
    viewers: 1_500,
    top_emotes: [
      { name: 'LUL', count: 14 },
      { name: 'Kappa', count: 9 },
    ],
    ...overrides,
  };
}

export function lifecycle(
  overrides: Partial<Lifecycle> & Pick<Lifecycle, 'kind' | 'ts'>,
): Lifecycle {
  return {
    v: 1,
    type: 'lifecycle',
    channel_id: '1001',
    channel: 'alpha',
    ...overrides,
  };
}

export function viewers(overrides: Partial<Viewers> & Pick<Viewers, 'ts' | 'viewers'>): Viewers {
  return { v: 1, type: 'viewers', channel_id: '1001', channel: 'alpha', ...overrides };
}

export function clip(overrides: Partial<Clip> & { clip_id: string; detected_at: number }): Clip {
  return {
    moment_id: null,
    channel_id: '1001',
    channel: 'alpha',
    url: `https://clips.twitch.tv/${overrides.clip_id}`,
    embed_url: `https://clips.twitch.tv/embed?clip=${overrides.clip_id}`,
    thumbnail_url: `https://clips-media-assets2.twitch.tv/${overrides.clip_id}-preview-480x272.jpg`,
    title: 'what a play',
    created_at: overrides.detected_at + 5_000,
    intensity: 9.5,
    duration: 30,
    vod_offset: 3_600,
    peak_ts: overrides.detected_at - 8_000,
    clip_start_ts: overrides.detected_at - 25_000,
    clip_end_ts: overrides.detected_at + 5_000,
    edit_url: `https://clips.twitch.tv/${overrides.clip_id}/edit`,
    video_id: '2000000001',
    creator_id: '9001',
    ...overrides,
  };
}
