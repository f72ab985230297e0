// A clip as the clips feed (GET /api/v1/clips) and the web UI see it: the stored clip with its
// score named as everywhere else in /api/v1, times in epoch ms, and where in the clip the peak is.
// A moment in the moments feed and the live feed carries the part of it that plays the clip.
import type { Moment } from '../processing/moment.ts';
import type { Clip, MomentClip, MomentWithClip } from '../storage/store.ts';

export type FeedClip = Omit<Clip, 'intensity' | 'edit_url' | 'video_id' | 'creator_id'> & {
  /** The moment's score (stored as the clip's intensity). */
  score: number;
  /** Whole seconds from the clip's start to the moment's peak; null when unknown or outside the clip. */
  peak_offset_s: number | null;
};

/** A moment's clip in the moments feed: enough to show and play it, and where its peak is. */
export type FeedMomentClip = Pick<
  FeedClip,
  'clip_id' | 'url' | 'embed_url' | 'thumbnail_url' | 'duration' | 'peak_offset_s'
>;

/** `live`: the moment is still open; the row says what was known so far (see MomentWithClip). */
export type FeedMoment = Moment & { live: boolean; clip: FeedMomentClip | null };

export function toFeedClip(clip: Clip): FeedClip {
  return {
    ...toFeedMomentClip(clip),
    moment_id: clip.moment_id,
    channel_id: clip.channel_id,
    channel: clip.channel,
    title: clip.title,
    score: clip.intensity,
    vod_offset: clip.vod_offset,
    detected_at: clip.detected_at,
    created_at: clip.created_at,
    peak_ts: clip.peak_ts,
    clip_start_ts: clip.clip_start_ts,
    clip_end_ts: clip.clip_end_ts,
  };
}

export function toFeedMoment({ clip, ...moment }: MomentWithClip): FeedMoment {
  return { ...moment, clip: clip === null ? null : toFeedMomentClip(clip) };
}

function toFeedMomentClip(clip: MomentClip): FeedMomentClip {
  return {
    clip_id: clip.clip_id,
    url: clip.url,
    embed_url: clip.embed_url,
    thumbnail_url: clip.thumbnail_url,
    duration: clip.duration,
    peak_offset_s: peakOffsetSeconds(clip),
  };
}

/**
 * Where the peak falls in the clip. The clip's window is the clipper's estimate at Create Clip
 * time, so whole seconds are as precise as it gets. A peak outside the window (the clip missed
 * it) has no offset to show: null, like an unknown one; peak_ts and the window still say so.
 */
export function peakOffsetSeconds(
  clip: Pick<Clip, 'peak_ts' | 'clip_start_ts' | 'clip_end_ts' | 'duration'>,
): number | null {
  const { peak_ts: peak, clip_start_ts: start } = clip;
  if (peak === null || start === null) return null;
  const end = clip.clip_end_ts ?? (clip.duration === null ? null : start + clip.duration * 1000);
  if (peak < start || (end !== null && peak > end)) return null;
  return Math.round((peak - start) / 1000);
}
