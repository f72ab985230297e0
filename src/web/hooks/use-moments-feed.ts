// A moments list that starts from a REST page, grows with live pushes and pages back on demand.
import { fetchMoments } from '../backend/client.ts';
import type { Moment, MomentPage } from '../backend/types.ts';
import { matchesFilter, mergeMoments, type MomentFilter } from '../lib/moments.ts';
import { useFeedPages, type FeedPagesState } from './use-feed-pages.ts';
import { useLiveMessages, useReconnects } from './use-live.ts';

const PAGE_SIZE = 20;

interface FeedState extends FeedPagesState {
  moments: Moment[];
  /** Ids pushed live after the list was shown, so their arrival can be highlighted. */
  liveIds: ReadonlySet<string>;
}

export interface MomentsFeedState {
  moments: Moment[];
  liveIds: ReadonlySet<string>;
  loaded: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  error: Error | null;
  loadMore(): void;
  retry(): void;
}

function withFirstPage(previous: FeedState, page: MomentPage): FeedState {
  // After a reconnect the list keeps its place in the older pages.
  const cursor = previous.loaded ? previous.cursor : page.next_cursor;
  const moments = mergeMoments(previous.moments, page.moments);
  return { ...previous, moments, cursor, loaded: true, error: null };
}

function withOlderPage(previous: FeedState, page: MomentPage): FeedState {
  const moments = mergeMoments(previous.moments, page.moments);
  return { ...previous, moments, cursor: page.next_cursor, loadingMore: false };
}

function withPushed(previous: FeedState, moment: Moment): FeedState {
  // Highlight arrivals only: a moment that grows is re-sent and just updates its card.
  const arrived = previous.loaded && !previous.moments.some(({ id }) => id === moment.id);
  return {
    ...previous,
    moments: mergeMoments(previous.moments, [moment]),
    liveIds: arrived ? new Set(previous.liveIds).add(moment.id) : previous.liveIds,
  };
}

function emptyFeed(key: string): FeedState {
  return {
    key,
    moments: [],
    liveIds: new Set(),
    loaded: false,
    cursor: null,
    loadingMore: false,
    error: null,
  };
}

export function useMomentsFeed({ channel, minScore }: MomentFilter): MomentsFeedState {
  // The first page again after a reconnect: moments pushed during the gap are merged in.
  const { feed, setFeed, loadMore, retry } = useFeedPages({
    key: `${channel ?? ''}\n${minScore ?? ''}`,
    empty: emptyFeed,
    fetchPage: (cursor, signal) =>
      fetchMoments({ channel, minScore, limit: PAGE_SIZE, cursor }, signal),
    withFirstPage,
    withOlderPage,
    reload: useReconnects(),
  });

  useLiveMessages((message) => {
    if (message.type !== 'moment' || !matchesFilter(message.moment, { channel, minScore })) return;
    setFeed((previous) => withPushed(previous, message.moment));
  });

  return {
    moments: feed.moments,
    liveIds: feed.liveIds,
    loaded: feed.loaded,
    hasMore: feed.cursor !== null,
    loadingMore: feed.loadingMore,
    error: feed.error,
    loadMore,
    retry,
  };
}
