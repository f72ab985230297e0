import { describe, expect, it } from 'vitest';
import { parseRoute, streamHref } from '../../src/web/lib/route.ts';

function routeOf(href: string) {
  const url = new URL(href, 'http://scout.test');
  return parseRoute(url.pathname, url.hash);
}

describe('routes', () => {
  it('reads the home page and stream pages from the hash', () => {
    expect(routeOf('/')).toEqual({ page: 'home' });
    expect(routeOf('/#/')).toEqual({ page: 'home' });
    expect(routeOf('/#/streams/xqc')).toEqual({ page: 'stream', channel: 'xqc' });
    expect(routeOf('/#/somewhere')).toEqual({ page: 'not-found' });
  });

  it('understands a plain path that the server answered with the app', () => {
    expect(routeOf('/streams/xqc')).toEqual({ page: 'stream', channel: 'xqc' });
    expect(routeOf('/streams/xqc#/')).toEqual({ page: 'home' });
  });

  it('round-trips channel names that need escaping', () => {
    expect(routeOf(streamHref('a b/c'))).toEqual({ page: 'stream', channel: 'a b/c' });
  });
});
