// Get Streams through the real client and the fake Helix server: paging with `first=100` and
// the `after` cursor, top N, filters, explicit channel lists beyond Helix's 100 per request.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getStreams } from '../../../src/sources/twitch/get-streams.ts';
import type { HelixGetter, HelixQuery } from '../../../src/sources/twitch/helix-client.ts';
import { fakeStreamId, fakeUserId } from '../../support/fake-twitch/fake-ids.ts';
import { manyStreams, startHelix, START, type HelixFixture } from './twitch-test-kit.ts';

let fixture: HelixFixture;

beforeEach(async () => {
  fixture = await startHelix({ streams: manyStreams(260) });
});

afterEach(async () => {
  await fixture.close();
});

function pageQueries(): Record<string, string[]>[] {
  return fixture.helix.requestsTo('/streams').map((r) => r.query);
}

describe('getStreams', () => {
  it('pages over more than 250 streams with first=100 and the after cursor', async () => {
    const streams = await getStreams(fixture.client(), { limit: 250 });
    expect(streams).toHaveLength(250);
    expect(streams.map((s) => s.login)).toEqual(manyStreams(250).map((s) => s.user_login));
    const queries = pageQueries();
    expect(queries).toHaveLength(3);
    expect(queries.map((q) => q.first)).toEqual([['100'], ['100'], ['100']]);
    expect(queries[0]?.after).toBeUndefined();
    expect(queries[1]?.after).toHaveLength(1);
    expect(queries[2]?.after).toHaveLength(1);
    expect(queries[2]?.after).not.toEqual(queries[1]?.after);
  });

  it('stops at the last page when fewer streams are live than asked for', async () => {
    const streams = await getStreams(fixture.client(), { limit: 1000 });
    expect(streams).toHaveLength(260);
    expect(new Set(streams.map((s) => s.channelId)).size).toBe(260);
    expect(pageQueries()).toHaveLength(3);
  });

  it('reads a stream as discovery uses it', async () => {
    fixture.helix.setStreams([
      { user_login: 'Alpha', user_name: 'Alpha', viewer_count: 42, title: 'hi', game_id: '516575' },
    ]);
    const [alpha] = await getStreams(fixture.client(), {});
    expect(alpha).toEqual({
      streamId: fakeStreamId('alpha'),
      channelId: fakeUserId('alpha'),
      login: 'alpha',
      displayName: 'Alpha',
      gameId: '516575',
      gameName: 'VALORANT',
      title: 'hi',
      viewers: 42,
      language: 'en',
      startedAt: START,
    });
  });

  it('filters by language and game on Twitch, not after the fact', async () => {
    const german = await getStreams(fixture.client(), { languages: ['DE'], limit: 1000 });
    expect(german).toHaveLength(52);
    expect(german.every((s) => s.language === 'de')).toBe(true);
    const justChattingInGerman = await getStreams(fixture.client(), {
      languages: ['de'],
      gameIds: ['509658'],
      limit: 1000,
    });
    expect(justChattingInGerman).toHaveLength(26);
    expect(justChattingInGerman.every((s) => s.gameId === '509658' && s.language === 'de')).toBe(
      true,
    );
    const queries = pageQueries();
    expect(queries.at(-1)).toMatchObject({ language: ['de'], game_id: ['509658'] });
  });

  it('asks for an explicit channel list 100 logins at a time and merges by viewers', async () => {
    // 150 wanted logins, every other one live (odd indexes are not live at all).
    const wanted = Array.from(
      { length: 150 },
      (_, i) => `streamer${String(i * 2).padStart(3, '0')}`,
    );
    const notLive = ['nobody1', 'nobody2'];
    const streams = await getStreams(fixture.client(), {
      userLogins: [...wanted.reverse(), ...notLive],
      limit: 1000,
    });
    expect(streams).toHaveLength(130); // streamer000 .. streamer258, even ones
    expect(streams.every((s) => Number(s.login.slice(8)) % 2 === 0)).toBe(true);
    const viewers = streams.map((s) => s.viewers);
    expect(viewers).toEqual([...viewers].sort((a, b) => b - a));
    const queries = pageQueries();
    expect(queries).toHaveLength(2);
    expect(queries.map((q) => q.user_login?.length)).toEqual([100, 52]);
  });

  it('applies the top N to an explicit channel list', async () => {
    const streams = await getStreams(fixture.client(), {
      userLogins: ['streamer005', 'streamer001', 'streamer003'],
      limit: 2,
    });
    expect(streams.map((s) => s.login)).toEqual(['streamer001', 'streamer003']);
  });

  it('stops paging once viewer counts fall below the minimum', async () => {
    const streams = await getStreams(fixture.client(), { limit: 1000, minViewers: 99_000 });
    expect(streams).toHaveLength(101);
    expect(streams.at(-1)?.viewers).toBe(99_000);
    expect(pageQueries()).toHaveLength(2);
  });

  it('refuses more filter values than Helix accepts', async () => {
    const languages = Array.from({ length: 101 }, (_, i) => `l${i}`);
    await expect(getStreams(fixture.client(), { languages })).rejects.toThrow(/at most 100/);
    expect(pageQueries()).toHaveLength(0);
  });
});

describe('getStreams over a list that moves while it is read', () => {
  /** Serves the given pages in order: overlapping pages, repeated cursors, broken bodies. */
  function pages(...served: { data: unknown[]; pagination: { cursor?: string } }[]): HelixGetter & {
    queries: HelixQuery[];
  } {
    const queries: HelixQuery[] = [];
    return {
      queries,
      get: async (_endpoint, query) => {
        queries.push(query);
        return served[queries.length - 1] ?? { data: [], pagination: {} };
      },
    };
  }
  const stream = (login: string, viewers: number) => ({
    id: `s-${login}`,
    user_id: `u-${login}`,
    user_login: login,
    viewer_count: viewers,
  });

  it('keeps a stream seen on two pages once, and skips items without identity', async () => {
    const client = pages(
      { data: [stream('a', 50), stream('b', 40)], pagination: { cursor: 'c1' } },
      { data: [stream('b', 41), { viewer_count: 5 }, stream('c', 30)], pagination: {} },
    );
    const streams = await getStreams(client, { limit: 10 });
    expect(streams.map((s) => [s.login, s.viewers])).toEqual([
      ['a', 50],
      ['b', 40],
      ['c', 30],
    ]);
    expect(client.queries[1]?.after).toBe('c1');
  });

  it('ends on a repeated cursor instead of paging forever', async () => {
    const client = pages(
      { data: [stream('a', 50)], pagination: { cursor: 'same' } },
      { data: [stream('b', 40)], pagination: { cursor: 'same' } },
      { data: [stream('c', 30)], pagination: { cursor: 'same' } },
    );
    const streams = await getStreams(client, { limit: 10 });
    expect(streams.map((s) => s.login)).toEqual(['a', 'b']);
    expect(client.queries).toHaveLength(2);
  });

  it('fails on an answer without a data list', async () => {
    await expect(getStreams(pages({ oops: true } as never), {})).rejects.toMatchObject({
      status: 'bad-response',
    });
  });
});
