import { useId } from 'react';
import type { FeedClip } from '../backend/types.ts';
import { streamHref } from '../lib/route.ts';
import { scoreLevel } from '../lib/score.ts';
import { ClipPeak, ClipPlayer, ClipPlayerActions, type InlinePlayback } from './ClipPlayer.tsx';
import { ScoreBadge } from './ScoreBadge.tsx';
import { TimeStamp } from './TimeStamp.tsx';

interface Props extends InlinePlayback {
  clip: FeedClip;
  channelName: string;
}

/** The whole card is the play button's hit area; Enter or Space on it plays the clip too. */
export function ClipCard({ clip, channelName, playing, onPlay, onClose }: Props) {
  const titleId = useId();
  const title = clip.title ?? 'Untitled clip';

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
      <ClipPlayer
        clip={clip}
        title={title}
        label={<span className="visually-hidden">Play clip: {title}</span>}
        playing={playing}
        onPlay={onPlay}
      />
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
          <ClipPeak offsetS={clip.peak_offset_s} />
          <TimeStamp ts={clip.detected_at} />
        </div>
        {playing && <ClipPlayerActions url={clip.url} onClose={onClose} />}
      </div>
    </article>
  );
}
