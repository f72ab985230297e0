import { useState } from 'react';
import type { MomentsFeedState } from '../hooks/use-moments-feed.ts';
import { EmptyState } from './EmptyState.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { LiveAnnouncer } from './LiveAnnouncer.tsx';
import { MomentCard } from './MomentCard.tsx';

interface Props {
  feed: MomentsFeedState;
  /** Login -> display name; omitted on a channel's own page, where cards skip the channel. */
  displayNames?: ReadonlyMap<string, string>;
  emptyTitle: string;
}

export function MomentList({ feed, displayNames, emptyTitle }: Props) {
  // One clip plays at a time, by the id of its moment.
  const [playing, setPlaying] = useState<string | null>(null);
  if (!feed.loaded) {
    return feed.error ? (
      <ErrorNotice what="Could not load moments." error={feed.error} onRetry={feed.retry} />
    ) : (
      <p className="loading">Loading moments…</p>
    );
  }
  return (
    <>
      <LiveAnnouncer feed={feed} displayNames={displayNames} />
      {feed.moments.length === 0 ? (
        <EmptyState title={emptyTitle}>New moments appear here the second chat erupts.</EmptyState>
      ) : (
        <ol className="moment-list">
          {feed.moments.map((moment) => (
            <li key={moment.id}>
              <MomentCard
                moment={moment}
                channelName={displayNames && (displayNames.get(moment.channel) ?? moment.channel)}
                arrivedLive={feed.liveIds.has(moment.id)}
                playing={moment.id === playing}
                onPlay={() => setPlaying(moment.id)}
                onClose={() => setPlaying(null)}
              />
            </li>
          ))}
        </ol>
      )}
      {feed.error && <ErrorNotice what="Could not load more moments." error={feed.error} />}
      {feed.hasMore && (
        <button
          type="button"
          className="button load-more"
          onClick={feed.loadMore}
          disabled={feed.loadingMore}
        >
          {feed.loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}
