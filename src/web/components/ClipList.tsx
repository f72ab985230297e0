import { useRef, useState } from 'react';
import type { ClipsFeedState } from '../hooks/use-clips-feed.ts';
import { useInfiniteScroll } from '../hooks/use-infinite-scroll.ts';
import { clipsHref } from '../lib/route.ts';
import { ClipCard } from './ClipCard.tsx';
import { EmptyState } from './EmptyState.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';

interface Props {
  feed: ClipsFeedState;
  /** Login -> display name. */
  displayNames: ReadonlyMap<string, string>;
  filtered: boolean;
}

export function ClipList({ feed, displayNames, filtered }: Props) {
  const [playing, setPlaying] = useState<string | null>(null);
  const more = useRef<HTMLButtonElement>(null);
  useInfiniteScroll(more, feed.loaded && feed.hasMore && !feed.loadingMore && !feed.error, () =>
    feed.loadMore(),
  );

  if (!feed.loaded) {
    return feed.error ? (
      <ErrorNotice what="Could not load clips." error={feed.error} onRetry={feed.retry} />
    ) : (
      <p className="loading">Loading clips…</p>
    );
  }
  if (feed.clips.length === 0) {
    return filtered ? (
      <EmptyState title="No clips match these filters">
        <a href={clipsHref()}>Show all clips</a>
      </EmptyState>
    ) : (
      <EmptyState title="No clips yet">
        Clips are created automatically when a Twitch user token with <code>clips:edit</code> is
        configured (run <code>streamscout auth</code>).
      </EmptyState>
    );
  }
  return (
    <>
      <ol className="clip-grid">
        {feed.clips.map((clip) => (
          <li
            key={clip.clip_id}
            className={clip.clip_id === playing ? 'clip-grid__item--playing' : undefined}
          >
            <ClipCard
              clip={clip}
              channelName={displayNames.get(clip.channel) ?? clip.channel}
              playing={clip.clip_id === playing}
              onPlay={() => setPlaying(clip.clip_id)}
              onClose={() => setPlaying(null)}
            />
          </li>
        ))}
      </ol>
      {feed.error && (
        <ErrorNotice what="Could not load more clips." error={feed.error} onRetry={feed.loadMore} />
      )}
      {feed.hasMore ? (
        // Scrolling near it loads the next page; it stays a button for keyboards and old browsers.
        <button
          ref={more}
          type="button"
          className="button load-more"
          data-testid="clips-more"
          onClick={feed.loadMore}
          disabled={feed.loadingMore}
        >
          {feed.loadingMore ? 'Loading…' : 'Load more clips'}
        </button>
      ) : (
        <p className="feed-end">That is every clip{filtered ? ' matching these filters' : ''}.</p>
      )}
    </>
  );
}
