import { useId } from 'react';
import type { FeedMomentClip, Moment } from '../backend/types.ts';
import { streamHref } from '../lib/route.ts';
import { scoreLevel } from '../lib/score.ts';
import { ClipPeak, ClipPlayer, ClipPlayerActions, type InlinePlayback } from './ClipPlayer.tsx';
import { MomentStats } from './MomentStats.tsx';
import { RankedChips } from './RankedChips.tsx';
import { SampleMessages } from './SampleMessages.tsx';
import { ScoreBadge } from './ScoreBadge.tsx';
import { TimeStamp } from './TimeStamp.tsx';

/** Playback concerns its clip: a moment without one has nothing to play. */
interface Props extends InlinePlayback {
  moment: Moment;
  /** Shown as a link to the channel's page; omit on that page itself. */
  channelName?: string;
  /** Pushed over the live feed while the list was on screen: highlighted once. */
  arrivedLive: boolean;
}

export function MomentCard({ moment, channelName, arrivedLive, playing, onPlay, onClose }: Props) {
  const titleId = useId();
  const { explanation } = moment;
  const classes = ['moment-card', `moment-card--${scoreLevel(moment.score).tone}`];
  if (arrivedLive) classes.push('moment-card--new');
  return (
    <article
      className={classes.join(' ')}
      data-testid="moment-card"
      data-moment-id={moment.id}
      aria-labelledby={titleId}
    >
      <header className="moment-card__header">
        <div className="moment-card__heading">
          {channelName && (
            <a className="moment-card__channel" href={streamHref(moment.channel)}>
              {channelName}
            </a>
          )}
          <ScoreBadge score={moment.score} />
          {moment.live && (
            <span
              className="live-badge"
              data-testid="moment-live"
              title="Still happening: updated until chat calms down"
            >
              Live
            </span>
          )}
        </div>
        <TimeStamp ts={moment.start_ts} />
      </header>
      <p className="moment-card__summary" id={titleId}>
        {explanation.summary}
      </p>
      {moment.clip && (
        <MomentClip
          clip={moment.clip}
          title={explanation.summary}
          playing={playing}
          onPlay={onPlay}
          onClose={onClose}
        />
      )}
      <MomentStats moment={moment} />
      <RankedChips label="Emotes" items={explanation.top_emotes} limit={6} />
      <RankedChips label="Phrases" items={explanation.top_phrases} limit={3} quoted />
      <SampleMessages samples={explanation.samples} />
    </article>
  );
}

interface MomentClipProps extends InlinePlayback {
  clip: FeedMomentClip;
  title: string;
}

/** The moment's clip: its thumbnail and "Watch clip", which plays it right in the card. */
function MomentClip({ clip, title, playing, onPlay, onClose }: MomentClipProps) {
  return (
    <div
      className={playing ? 'moment-clip moment-clip--playing' : 'moment-clip'}
      data-testid="moment-clip"
      onKeyDown={(event) => {
        if (playing && event.key === 'Escape') onClose();
      }}
    >
      <ClipPlayer
        clip={clip}
        title={title}
        label={<span className="clip-player__label">Watch clip</span>}
        playing={playing}
        onPlay={onPlay}
      />
      <div className="moment-clip__facts">
        <ClipPeak offsetS={clip.peak_offset_s} />
        {playing && <ClipPlayerActions url={clip.url} onClose={onClose} />}
      </div>
    </div>
  );
}
