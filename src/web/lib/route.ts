// Hash routes (/#/, /#/streams/<channel> and /#/clips?channel=&min_score=) need nothing from the
// server; a plain path such as /streams/<channel>, which the server answers with index.html, is
// understood as well. The clips view keeps its filters in the route, so a link shares them.
export interface ClipFilter {
  channel?: string;
  minScore?: number;
}

export type Route =
  | { page: 'home' }
  | { page: 'stream'; channel: string }
  | { page: 'clips'; filter: ClipFilter }
  | { page: 'not-found' };

export function parseRoute(pathname: string, hash: string): Route {
  const target = hash.replace(/^#/, '') || pathname || '/';
  const queryStart = target.indexOf('?');
  const path = queryStart === -1 ? target : target.slice(0, queryStart);
  const query = new URLSearchParams(queryStart === -1 ? '' : target.slice(queryStart + 1));
  if (path === '/') return { page: 'home' };
  if (path === '/clips' || path === '/clips/') return { page: 'clips', filter: clipFilter(query) };
  const stream = /^\/streams\/([^/]+)\/?$/.exec(path);
  if (stream?.[1]) return { page: 'stream', channel: safeDecode(stream[1]) };
  return { page: 'not-found' };
}

export function homeHref(): string {
  return '/#/';
}

export function streamHref(channel: string): string {
  return `/#/streams/${encodeURIComponent(channel)}`;
}

/** The clips view's route, for `location.hash`. */
export function clipsPath(filter: ClipFilter): string {
  const query = new URLSearchParams();
  if (filter.channel !== undefined) query.set('channel', filter.channel);
  if (filter.minScore !== undefined) query.set('min_score', String(filter.minScore));
  const search = query.toString();
  return search === '' ? '/clips' : `/clips?${search}`;
}

export function clipsHref(filter: ClipFilter = {}): string {
  return `/#${clipsPath(filter)}`;
}

/** What a hand-edited link gets wrong is dropped, not an error: the view shows all clips instead. */
function clipFilter(query: URLSearchParams): ClipFilter {
  const filter: ClipFilter = {};
  const channel = query.get('channel')?.trim();
  if (channel) filter.channel = channel;
  const minScore = Number(query.get('min_score') ?? '');
  if (query.get('min_score') && Number.isFinite(minScore) && minScore >= 0) {
    filter.minScore = minScore;
  }
  return filter;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
