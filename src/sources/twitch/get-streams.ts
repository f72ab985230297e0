// Helix Get Streams: live streams by viewer count, highest first, with Twitch's filters, read
// page by page (`first=100`, `after` cursor) until the top N are in. Twitch pages by offset into
// a list that changes while we read, so a stream can appear on two pages (kept once) or be
// skipped (the discovery double-checks any stream it knew before and no longer sees).
import { silentLogger, type Logger } from '../../ops/logger.ts';
import type { HelixGetter, HelixQuery } from './helix-client.ts';
import { HelixError } from './helix-error.ts';
import { readLiveStream, type LiveStream } from './live-stream.ts';

/** Helix's page size limit, and its limit on each repeated filter parameter. */
export const HELIX_PAGE_SIZE = 100;

export interface StreamQuery {
  /** Top N: at most this many streams, highest viewer count first. Default 100. */
  limit?: number;
  /** Only streams in these languages (ISO 639-1 such as `en`, or `other`); at most 100. */
  languages?: readonly string[];
  /** Only streams in these categories (Twitch game ids); at most 100. */
  gameIds?: readonly string[];
  /** Only these channels, by login; any number (asked 100 at a time). */
  userLogins?: readonly string[];
  /** Only these channels, by user id; any number (asked 100 at a time). */
  userIds?: readonly string[];
  /** Streams with fewer viewers are left out. Default 0. */
  minViewers?: number;
}

export interface GetStreamsContext {
  signal?: AbortSignal;
  logger?: Logger;
}

/** Live streams matching `query`, highest viewer count first, at most `limit`. Throws HelixError. */
export async function getStreams(
  client: HelixGetter,
  query: StreamQuery,
  context: GetStreamsContext = {},
): Promise<LiveStream[]> {
  const limit = query.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be >= 1, got ${limit}`);
  const languages = distinct(query.languages, (l) => l.toLowerCase());
  const gameIds = distinct(query.gameIds);
  for (const [name, values] of [
    ['languages', languages],
    ['gameIds', gameIds],
  ] as const) {
    if (values.length > HELIX_PAGE_SIZE) {
      throw new RangeError(
        `Helix accepts at most ${HELIX_PAGE_SIZE} ${name}, got ${values.length}`,
      );
    }
  }
  const filters: HelixQuery = { language: languages, game_id: gameIds };
  const minViewers = query.minViewers ?? 0;
  const logins = distinct(query.userLogins, (l) => l.toLowerCase());
  const ids = distinct(query.userIds);
  if (logins.length === 0 && ids.length === 0) {
    return byViewers(await readPages(client, filters, limit, minViewers, context));
  }
  // An explicit channel list: Helix takes 100 users per request, so ask in chunks and merge.
  const chunks: HelixQuery[] = [
    ...chunk(logins).map((part) => ({ ...filters, user_login: part })),
    ...chunk(ids).map((part) => ({ ...filters, user_id: part })),
  ];
  const merged = new Map<string, LiveStream>();
  for (const chunkQuery of chunks) {
    for (const stream of await readPages(client, chunkQuery, Infinity, minViewers, context)) {
      if (!merged.has(stream.channelId)) merged.set(stream.channelId, stream);
    }
  }
  return byViewers([...merged.values()]).slice(0, limit);
}

async function readPages(
  client: HelixGetter,
  filters: HelixQuery,
  limit: number,
  minViewers: number,
  { signal, logger = silentLogger }: GetStreamsContext,
): Promise<LiveStream[]> {
  const streams: LiveStream[] = [];
  const seen = new Set<string>();
  const cursors = new Set<string>();
  let after: string | undefined;
  let unreadable = 0;
  try {
    for (;;) {
      const page = readPage(
        await client.get('streams', { ...filters, first: HELIX_PAGE_SIZE, after }, signal),
      );
      let belowMinimum = false;
      for (const item of page.items) {
        const stream = readLiveStream(item);
        if (stream === undefined) {
          unreadable += 1;
          continue;
        }
        // Pages come highest viewer count first: once below the minimum, so is the rest.
        if (stream.viewers < minViewers) {
          belowMinimum = true;
          continue;
        }
        if (seen.has(stream.channelId)) continue;
        seen.add(stream.channelId);
        streams.push(stream);
        if (streams.length >= limit) return streams;
      }
      const cursor = page.cursor;
      // A repeated cursor would page forever: treat it as the end.
      if (belowMinimum || cursor === undefined || page.items.length === 0 || cursors.has(cursor)) {
        return streams;
      }
      cursors.add(cursor);
      after = cursor;
    }
  } finally {
    if (unreadable > 0) {
      logger.warn(
        { unreadable },
        'Get Streams returned streams without a user id or login; skipped',
      );
    }
  }
}

function readPage(body: unknown): { items: unknown[]; cursor: string | undefined } {
  const page = (typeof body === 'object' && body !== null ? body : {}) as {
    data?: unknown;
    pagination?: { cursor?: unknown };
  };
  if (!Array.isArray(page.data)) {
    throw new HelixError('Get Streams answered without a `data` list', {
      endpoint: 'streams',
      status: 'bad-response',
      transient: true,
    });
  }
  const cursor = page.pagination?.cursor;
  return {
    items: page.data as unknown[],
    cursor: typeof cursor === 'string' && cursor !== '' ? cursor : undefined,
  };
}

/** Highest viewer count first; equal counts keep Twitch's order (the sort is stable). */
function byViewers(streams: LiveStream[]): LiveStream[] {
  return streams.sort((a, b) => b.viewers - a.viewers);
}

function distinct(values: readonly string[] | undefined, normalise = (v: string) => v): string[] {
  return [...new Set((values ?? []).map((v) => normalise(v.trim())).filter((v) => v !== ''))];
}

function chunk(values: readonly string[]): string[][] {
  const parts: string[][] = [];
  for (let i = 0; i < values.length; i += HELIX_PAGE_SIZE) {
    parts.push(values.slice(i, i + HELIX_PAGE_SIZE));
  }
  return parts;
}
