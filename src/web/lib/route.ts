// Hash routes (/#/ and /#/streams/<channel>) need nothing from the server; a plain path such as
// /streams/<channel>, which the server answers with index.html, is understood as well.
export type Route = { page: 'home' } | { page: 'stream'; channel: string } | { page: 'not-found' };

export function parseRoute(pathname: string, hash: string): Route {
  const path = hash.replace(/^#/, '') || pathname || '/';
  if (path === '/') return { page: 'home' };
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

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
