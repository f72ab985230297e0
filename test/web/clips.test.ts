import { describe, expect, it } from 'vitest';
import type { FeedClip } from '../../src/web/backend/types.ts';
import { appendClips, clipEmbedSrc } from '../../src/web/lib/clips.ts';

function feedClip(clipId: string): FeedClip {
  return {
    clip_id: clipId,
    moment_id: null,
    channel_id: '1001',
    channel: 'alpha',
    url: `https://clips.twitch.tv/${clipId}`,
    embed_url: `https://clips.twitch.tv/embed?clip=${clipId}`,
    thumbnail_url: null,
    title: null,
    score: 8,
    duration: 30,
    vod_offset: null,
    detected_at: 1_000,
    created_at: 2_000,
    peak_ts: null,
    clip_start_ts: null,
    clip_end_ts: null,
    peak_offset_s: null,
  };
}

describe('clip lists', () => {
  it('appends an older page after what is shown, never showing a clip twice', () => {
    const shown = [feedClip('c'), feedClip('b')];
    const merged = appendClips(shown, [feedClip('b'), feedClip('a')]);
    expect(merged.map((clip) => clip.clip_id)).toEqual(['c', 'b', 'a']);
  });
});

describe("a clip's embed", () => {
  const params = (src: string) => Object.fromEntries(new URL(src).searchParams);

  it("sets parent to the page's hostname and autoplay on the API's embed URL", () => {
    const src = clipEmbedSrc(feedClip('Funny-Clip_1'), 'scout.example.org');
    expect(src.startsWith('https://clips.twitch.tv/embed?')).toBe(true);
    expect(params(src)).toEqual({
      clip: 'Funny-Clip_1',
      parent: 'scout.example.org',
      autoplay: 'true',
    });
  });

  it('replaces a parent the stored URL already carries', () => {
    const clip = {
      ...feedClip('x'),
      embed_url: 'https://clips.twitch.tv/embed?clip=x&parent=elsewhere.example&autoplay=false',
    };
    expect(params(clipEmbedSrc(clip, '127.0.0.1'))).toEqual({
      clip: 'x',
      parent: '127.0.0.1',
      autoplay: 'true',
    });
  });

  it("falls back to Twitch's embed for the clip id when the stored URL is not https", () => {
    for (const embed_url of ['javascript:alert(1)', 'not a url', 'http://clips.twitch.tv/embed']) {
      const src = clipEmbedSrc({ clip_id: 'y z', embed_url }, 'localhost');
      expect(src).toBe('https://clips.twitch.tv/embed?clip=y+z&parent=localhost&autoplay=true');
    }
  });
});
