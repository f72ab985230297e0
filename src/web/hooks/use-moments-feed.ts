// A moments list that starts from a REST page, grows with live pushes and pages back on demand.
import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchMoments } from '../backend/client.ts';
import type { Moment, MomentPage } from '../backend/types.ts';
import { matchesFilter, mergeMoments, type MomentFilter } from '../lib/moments.ts';
import { useLiveMessages, useReconnects } from './use-live.ts';
import { asError } from '../lib/errors.ts';

const PAGE_SIZE = 20;

interface FeedState {
  /** The filter this state belongs to: a new filter starts a new list. */
  key: string;
  moments: Moment[];
  /** Ids pushed live after the list was shown, so their arrival can be highlighted. */
  liveIds: ReadonlySet<string>;
  loaded: boolean;
  cursor: string | null;
  loadingMore: boolean;
  error: Error | null;
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
  const key = `${channel ?? ''}\n${minScore ?? ''}`;
  const [feed, setFeed] = useState(() => emptyFeed(key));
  if (feed.key !== key) setFeed(emptyFeed(key));
  const [attempt, setAttempt] = useState(0);
  const reconnects = useReconnects();
  const pageRequest = useRef<AbortController | null>(null);

  // The first page, again after a reconnect: moments pushed during the gap are merged in.
  useEffect(() => {
    const controller = new AbortController();
    fetchMoments({ channel, minScore, limit: PAGE_SIZE }, controller.signal).then(
      (page) =>
        setFeed((previous) => (previous.key === key ? withFirstPage(previous, page) : previous)),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setFeed((previous) =>
          previous.key === key ? { ...previous, error: asError(error) } : previous,
        );
      },
    );
    return () => controller.abort();
  }, [key, channel, minScore, reconnects, attempt]);

  useEffect(() => () => pageRequest.current?.abort(), [key]);

  useLiveMessages((message) => {
    if (message.type !== 'moment' || !matchesFilter(message.moment, { channel, minScore })) return;
    setFeed((previous) => withPushed(previous, message.moment));
  });

  const loadMore = useCallback(() => {
    if (feed.cursor === null || feed.loadingMore) return;
    const controller = new AbortController();
    pageRequest.current = controller;
    setFeed((previous) => ({ ...previous, loadingMore: true, error: null }));
    const query = { channel, minScore, limit: PAGE_SIZE, cursor: feed.cursor };
    fetchMoments(query, controller.signal).then(
      (page) =>
        setFeed((previous) => (previous.key === key ? withOlderPage(previous, page) : previous)),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setFeed((previous) => ({ ...previous, loadingMore: false, error: asError(error) }));
      },
    );
  }, [channel, minScore, key, feed.cursor, feed.loadingMore]);

  const retry = useCallback(() => setAttempt((count) => count + 1), []);

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
