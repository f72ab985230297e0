// The clips feed: a first page, then older pages on demand through next_cursor. Clips stored
// after the first page never slip in between (the API's keyset), and the list only ever appends:
// page 1 is not fetched again into it, so nothing shown moves or repeats while clips arrive.
import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchClips } from '../backend/client.ts';
import type { ClipsResponse, FeedClip } from '../backend/types.ts';
import { appendClips } from '../lib/clips.ts';
import { asError } from '../lib/errors.ts';
import type { ClipFilter } from '../lib/route.ts';

/** The reference's page size, and the API's default. */
const PAGE_SIZE = 24;

interface FeedState {
  /** The filter this state belongs to: a new filter starts a new list. */
  key: string;
  clips: FeedClip[];
  loaded: boolean;
  cursor: string | null;
  loadingMore: boolean;
  error: Error | null;
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
  const key = `${channel ?? ''}\n${minScore ?? ''}`;
  const [feed, setFeed] = useState(() => emptyFeed(key));
  if (feed.key !== key) setFeed(emptyFeed(key));
  const [attempt, setAttempt] = useState(0);
  const pageRequest = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    fetchClips({ channel, minScore, limit: PAGE_SIZE }, controller.signal).then(
      (page) => setFeed((previous) => (previous.key === key ? withPage(previous, page) : previous)),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setFeed((previous) =>
          previous.key === key ? { ...previous, error: asError(error) } : previous,
        );
      },
    );
    return () => controller.abort();
  }, [key, channel, minScore, attempt]);

  useEffect(() => () => pageRequest.current?.abort(), [key]);

  const loadMore = useCallback(() => {
    if (feed.cursor === null || feed.loadingMore) return;
    const controller = new AbortController();
    pageRequest.current = controller;
    setFeed((previous) => ({ ...previous, loadingMore: true, error: null }));
    const query = { channel, minScore, limit: PAGE_SIZE, cursor: feed.cursor };
    fetchClips(query, controller.signal).then(
      (page) => setFeed((previous) => (previous.key === key ? withPage(previous, page) : previous)),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setFeed((previous) => ({ ...previous, loadingMore: false, error: asError(error) }));
      },
    );
  }, [channel, minScore, key, feed.cursor, feed.loadingMore]);

  const retry = useCallback(() => setAttempt((count) => count + 1), []);

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
