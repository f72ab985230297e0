// A clip played inline in Twitch's embed, for the clips feed and the moment cards alike: its
// thumbnail as a play button until asked, then the player (with `parent` set to this page's
// hostname, which Twitch requires). Focus follows: into the player when it opens, back to the
// button when it closes.
import { useEffect, useRef, type ReactNode } from 'react';
import type { FeedMomentClip } from '../backend/types.ts';
import { clipEmbedSrc } from '../lib/clips.ts';
import { formatVideoTime } from '../lib/format.ts';

/** A card whose clip plays inline: one at a time, so the list holds which one is playing. */
export interface InlinePlayback {
  /** Playing in Twitch's embed instead of showing its thumbnail. */
  playing: boolean;
  onPlay: () => void;
  onClose: () => void;
}

interface Props {
  clip: Pick<FeedMomentClip, 'clip_id' | 'embed_url' | 'thumbnail_url' | 'duration'>;
  /** Names the player for assistive technology. */
  title: string;
  /** The play button's text after the thumbnail (visually hidden or not, as the caller wants). */
  label: ReactNode;
  playing: boolean;
  onPlay: () => void;
}

export function ClipPlayer({ clip, title, label, playing, onPlay }: Props) {
  const playButton = useRef<HTMLButtonElement>(null);
  const player = useRef<HTMLIFrameElement>(null);
  const wasPlaying = useRef(playing);
  useEffect(() => {
    if (playing) player.current?.focus();
    else if (wasPlaying.current) playButton.current?.focus();
    wasPlaying.current = playing;
  }, [playing]);

  if (playing) {
    return (
      <div className="clip-player clip-player--playing">
        <iframe
          ref={player}
          className="clip-player__player"
          title={`Twitch clip: ${title}`}
          src={clipEmbedSrc(clip, window.location.hostname)}
          allow="autoplay; fullscreen"
          allowFullScreen
        />
      </div>
    );
  }
  return (
    <button
      ref={playButton}
      type="button"
      className="clip-player clip-player__play"
      onClick={onPlay}
    >
      <span className="clip-player__frame">
        {clip.thumbnail_url ? (
          <img
            className="clip-player__thumbnail"
            src={clip.thumbnail_url}
            alt=""
            loading="lazy"
            width={480}
            height={272}
          />
        ) : (
          <span
            className="clip-player__thumbnail clip-player__thumbnail--none"
            aria-hidden="true"
          />
        )}
        <span className="clip-player__play-icon" aria-hidden="true" />
        {clip.duration !== null && (
          <span className="clip-player__duration" aria-hidden="true">
            {formatVideoTime(clip.duration)}
          </span>
        )}
      </span>
      {label}
    </button>
  );
}

/** Under a playing clip: the clip on Twitch, and a way to close the player. */
export function ClipPlayerActions({ url, onClose }: { url: string; onClose: () => void }) {
  return (
    <div className="clip-player__actions">
      <a href={url} target="_blank" rel="noreferrer">
        Open on Twitch
      </a>
      <button type="button" className="button button--small" onClick={onClose}>
        Close player
      </button>
    </div>
  );
}

/** Where in the clip the moment peaked (an empty cell when unknown, to keep the row's layout). */
export function ClipPeak({ offsetS }: { offsetS: number | null }) {
  return offsetS === null ? (
    <span />
  ) : (
    <span className="clip-player__peak" data-testid="clip-peak">
      Peak at {formatVideoTime(offsetS)}
    </span>
  );
}
