import { useEffect, useId, useRef } from 'react';
import type { FeedClip } from '../backend/types.ts';
import { clipEmbedSrc } from '../lib/clips.ts';
import { formatVideoTime } from '../lib/format.ts';
import { streamHref } from '../lib/route.ts';
import { scoreLevel } from '../lib/score.ts';
import { ScoreBadge } from './ScoreBadge.tsx';
import { TimeStamp } from './TimeStamp.tsx';

interface Props {
  clip: FeedClip;
  channelName: string;
  /** Playing inline in Twitch's embed instead of showing its thumbnail. */
  playing: boolean;
  onPlay: () => void;
  onClose: () => void;
}

/** The whole card is the play button's hit area; Enter or Space on it plays the clip too. */
export function ClipCard({ clip, channelName, playing, onPlay, onClose }: Props) {
  const titleId = useId();
  const title = clip.title ?? 'Untitled clip';
  const playButton = useRef<HTMLButtonElement>(null);
  const player = useRef<HTMLIFrameElement>(null);
  const wasPlaying = useRef(playing);
  // Focus follows the player: into it when it opens, back to the thumbnail when it closes.
  useEffect(() => {
    if (playing) player.current?.focus();
    else if (wasPlaying.current) playButton.current?.focus();
    wasPlaying.current = playing;
  }, [playing]);

  const classes = ['clip-card', `clip-card--${scoreLevel(clip.score).tone}`];
  if (playing) classes.push('clip-card--playing');
  return (
    <article
      className={classes.join(' ')}
      data-testid="clip-card"
      data-clip-id={clip.clip_id}
      aria-labelledby={titleId}
      onKeyDown={(event) => {
        if (playing && event.key === 'Escape') onClose();
      }}
    >
      {playing ? (
        <div className="clip-card__media">
          <iframe
            ref={player}
            className="clip-card__player"
            title={`Twitch clip: ${title}`}
            src={clipEmbedSrc(clip, window.location.hostname)}
            allow="autoplay; fullscreen"
            allowFullScreen
          />
        </div>
      ) : (
        <button
          ref={playButton}
          type="button"
          className="clip-card__media clip-card__play"
          onClick={onPlay}
        >
          <span className="clip-card__frame">
            {clip.thumbnail_url ? (
              <img
                className="clip-card__thumbnail"
                src={clip.thumbnail_url}
                alt=""
                loading="lazy"
                width={480}
                height={272}
              />
            ) : (
              <span
                className="clip-card__thumbnail clip-card__thumbnail--none"
                aria-hidden="true"
              />
            )}
            <span className="clip-card__play-icon" aria-hidden="true" />
            {clip.duration !== null && (
              <span className="clip-card__duration" aria-hidden="true">
                {formatVideoTime(clip.duration)}
              </span>
            )}
          </span>
          <span className="visually-hidden">Play clip: {title}</span>
        </button>
      )}
      <div className="clip-card__body">
        <h2 className="clip-card__title" id={titleId}>
          {title}
        </h2>
        <div className="clip-card__heading">
          <a className="clip-card__channel" href={streamHref(clip.channel)}>
            {channelName}
          </a>
          <ScoreBadge score={clip.score} />
        </div>
        <div className="clip-card__facts">
          {clip.peak_offset_s !== null ? (
            <span className="clip-card__peak" data-testid="clip-peak">
              Peak at {formatVideoTime(clip.peak_offset_s)}
            </span>
          ) : (
            <span />
          )}
          <TimeStamp ts={clip.detected_at} />
        </div>
        {playing && (
          <div className="clip-card__actions">
            <a href={clip.url} target="_blank" rel="noreferrer">
              Open on Twitch
            </a>
            <button type="button" className="button button--small" onClick={onClose}>
              Close player
            </button>
          </div>
        )}
      </div>
    </article>
  );
}
