// The paging shared by the keyset feeds (moments, clips): a first page per filter (again when
// `reload` changes), then older pages through next_cursor on demand. What a page does to the
// list is the feed's own (`withFirstPage`, `withOlderPage`); requests a new filter makes stale
// are cancelled and their answers dropped.
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type Dispatch,
  type SetStateAction,
} from 'react';
import { asError } from '../lib/errors.ts';

export interface FeedPagesState {
  /** The filter this state belongs to: a new filter starts a new list. */
  key: string;
  loaded: boolean;
  cursor: string | null;
  loadingMore: boolean;
  error: Error | null;
}

interface Options<State extends FeedPagesState, Page> {
  key: string;
  empty: (key: string) => State;
  /** The first page without a cursor, an older one with. */
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page>;
  withFirstPage: (previous: State, page: Page) => State;
  /** Must clear `loadingMore` and take the page's next_cursor. */
  withOlderPage: (previous: State, page: Page) => State;
  /** Re-reads the first page whenever it changes (after a reconnect, say). */
  reload?: number;
}

export interface FeedPages<State> {
  feed: State;
  setFeed: Dispatch<SetStateAction<State>>;
  loadMore(): void;
  retry(): void;
}

export function useFeedPages<State extends FeedPagesState, Page>({
  key,
  empty,
  fetchPage,
  withFirstPage,
  withOlderPage,
  reload = 0,
}: Options<State, Page>): FeedPages<State> {
  const [feed, setFeed] = useState(() => empty(key));
  if (feed.key !== key) setFeed(empty(key));
  const [attempt, setAttempt] = useState(0);
  const pageRequest = useRef<AbortController | null>(null);
  // The key says which filter a request is for; the latest functions do the work.
  const latest = useRef({ fetchPage, withFirstPage, withOlderPage });
  useEffect(() => {
    latest.current = { fetchPage, withFirstPage, withOlderPage };
  });

  useEffect(() => {
    const controller = new AbortController();
    latest.current.fetchPage(undefined, controller.signal).then(
      (page) =>
        setFeed((previous) =>
          previous.key === key ? latest.current.withFirstPage(previous, page) : previous,
        ),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setFeed((previous) =>
          previous.key === key ? { ...previous, error: asError(error) } : previous,
        );
      },
    );
    return () => controller.abort();
  }, [key, reload, attempt]);

  useEffect(() => () => pageRequest.current?.abort(), [key]);

  const loadMore = useCallback(() => {
    if (feed.cursor === null || feed.loadingMore) return;
    const controller = new AbortController();
    pageRequest.current = controller;
    setFeed((previous) => ({ ...previous, loadingMore: true, error: null }));
    latest.current.fetchPage(feed.cursor, controller.signal).then(
      (page) =>
        setFeed((previous) =>
          previous.key === key ? latest.current.withOlderPage(previous, page) : previous,
        ),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setFeed((previous) => ({ ...previous, loadingMore: false, error: asError(error) }));
      },
    );
  }, [key, feed.cursor, feed.loadingMore]);

  const retry = useCallback(() => setAttempt((count) => count + 1), []);

  return { feed, setFeed, loadMore, retry };
}
