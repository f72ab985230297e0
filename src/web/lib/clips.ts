// The clips feed grows by older pages only (keyset: a later page never repeats one), and a clip
// plays inline in Twitch's embed, which only loads for the page's own hostname as `parent`.
import type { FeedClip } from '../backend/types.ts';

/** The list with the page's clips it does not hold yet appended, in the page's order. */
export function appendClips(current: readonly FeedClip[], page: readonly FeedClip[]): FeedClip[] {
  const shown = new Set(current.map((clip) => clip.clip_id));
  return [...current, ...page.filter((clip) => !shown.has(clip.clip_id))];
}

/**
 * The iframe address for a clip: the API's embed_url with `parent` set to the embedding page's
 * hostname (Twitch refuses to play without it) and autoplay, since the user asked to play it.
 * Twitch's clip embed takes no start time (`time` is for VODs only), so a clip starts at its start.
 * Anything but an https address from the API falls back to Twitch's own embed for the clip id.
 */
export function clipEmbedSrc(
  clip: Pick<FeedClip, 'clip_id' | 'embed_url'>,
  hostname: string,
): string {
  let url: URL;
  try {
    url = new URL(clip.embed_url);
  } catch {
    url = fallbackEmbed(clip.clip_id);
  }
  if (url.protocol !== 'https:') url = fallbackEmbed(clip.clip_id);
  url.searchParams.set('parent', hostname);
  url.searchParams.set('autoplay', 'true');
  return url.toString();
}

function fallbackEmbed(clipId: string): URL {
  const url = new URL('https://clips.twitch.tv/embed');
  url.searchParams.set('clip', clipId);
  return url;
}
