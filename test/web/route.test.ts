import { describe, expect, it } from 'vitest';
import { clipsHref, parseRoute, streamHref } from '../../src/web/lib/route.ts';

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

  it('keeps the clips view filters in the route, so a link shares them', () => {
    expect(routeOf('/#/clips')).toEqual({ page: 'clips', filter: {} });
    expect(clipsHref()).toBe('/#/clips');
    const filter = { channel: 'a b&c', minScore: 12.5 };
    expect(clipsHref(filter)).toBe('/#/clips?channel=a+b%26c&min_score=12.5');
    expect(routeOf(clipsHref(filter))).toEqual({ page: 'clips', filter });
    expect(routeOf('/clips')).toEqual({ page: 'clips', filter: {} });
  });

  it('drops clip filters a hand-edited link gets wrong', () => {
    for (const query of ['min_score=lots', 'min_score=-3', 'min_score=', 'channel=%20%20']) {
      expect(routeOf(`/#/clips?${query}`)).toEqual({ page: 'clips', filter: {} });
    }
    expect(routeOf('/#/clips?min_score=0&x=1')).toEqual({ page: 'clips', filter: { minScore: 0 } });
  });
});
