// The clips feed: a first page, then older pages on demand through next_cursor. Clips stored
// after the first page never slip in between (the API's keyset), and the list only ever appends:
// page 1 is not fetched again into it, so nothing shown moves or repeats while clips arrive.
import { fetchClips } from '../backend/client.ts';
import type { ClipsResponse, FeedClip } from '../backend/types.ts';
import { appendClips } from '../lib/clips.ts';
import type { ClipFilter } from '../lib/route.ts';
import { useFeedPages, type FeedPagesState } from './use-feed-pages.ts';

/** The reference's page size, and the API's default. */
const PAGE_SIZE = 24;

interface FeedState extends FeedPagesState {
  clips: FeedClip[];
}

export interface ClipsFeedState {
  clips: FeedClip[];
  loaded: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  error: Error | null;
  loadMore(): void;
  retry(): void;
}

function emptyFeed(key: string): FeedState {
  return { key, clips: [], loaded: false, cursor: null, loadingMore: false, error: null };
}

function withPage(previous: FeedState, page: ClipsResponse): FeedState {
  return {
    ...previous,
    clips: appendClips(previous.clips, page.clips),
    cursor: page.next_cursor,
    loaded: true,
    loadingMore: false,
    error: null,
  };
}

export function useClipsFeed({ channel, minScore }: ClipFilter): ClipsFeedState {
  const { feed, loadMore, retry } = useFeedPages({
    key: `${channel ?? ''}\n${minScore ?? ''}`,
    empty: emptyFeed,
    fetchPage: (cursor, signal) =>
      fetchClips({ channel, minScore, limit: PAGE_SIZE, cursor }, signal),
    withFirstPage: withPage,
    withOlderPage: withPage,
  });
  return {
    clips: feed.clips,
    loaded: feed.loaded,
    hasMore: feed.cursor !== null,
    loadingMore: feed.loadingMore,
    error: feed.error,
    loadMore,
    retry,
  };
}
