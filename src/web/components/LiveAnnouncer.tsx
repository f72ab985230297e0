// Tells screen-reader users about a moment pushed live, without re-reading the whole list.
import type { MomentsFeedState } from '../hooks/use-moments-feed.ts';

interface Props {
  feed: MomentsFeedState;
  displayNames?: ReadonlyMap<string, string>;
}

export function LiveAnnouncer({ feed, displayNames }: Props) {
  const latestId = [...feed.liveIds].at(-1);
  const moment = feed.moments.find((candidate) => candidate.id === latestId);
  const where = moment && (displayNames?.get(moment.channel) ?? moment.channel);
  return (
    <p className="visually-hidden" aria-live="polite">
      {moment ? `New moment on ${where}: ${moment.explanation.summary}` : ''}
    </p>
  );
}
