// The fake Helix server: Get Streams (shape, ranking, paging, filters), Get Users, the points
// bucket and its headers, forced failures and the request log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeUserId } from '../support/fake-twitch/fake-ids.ts';
import { FakeHelixServer, type HelixStream } from '../support/fake-twitch/fake-helix-server.ts';

let fake: FakeHelixServer;
let token: string;
let now = 1_700_000_000_000;

interface StreamsPage {
  data: HelixStream[];
  pagination: { cursor?: string };
}

beforeEach(async () => {
  now = 1_700_000_000_000;
  fake = await FakeHelixServer.start({ clock: () => now });
  token = fake.issueAppToken();
});

afterEach(async () => {
  await fake.close();
});

function get(path: string): Promise<Response> {
  return fetch(`${fake.apiBaseUrl}${path}`, {
    headers: { Authorization: `Bearer ${token}`, 'Client-Id': 'fake-client-id' },
  });
}

async function page(path: string): Promise<StreamsPage> {
  const response = await get(path);
  expect(response.status).toBe(200);
  return (await response.json()) as StreamsPage;
}

function manyStreams(
  count: number,
): { user_login: string; viewer_count: number; language: string; game_id: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    user_login: `streamer${String(i).padStart(3, '0')}`,
    viewer_count: 100_000 - i * 10,
    language: i % 5 === 0 ? 'de' : 'en',
    game_id: i % 2 === 0 ? '509658' : '21779',
  }));
}

describe('fake Helix: Get Streams', () => {
  it('returns Twitch JSON shape, ranked by viewers', async () => {
    fake.setStreams([
      { user_login: 'small', viewer_count: 5 },
      {
        user_login: 'Big',
        user_name: 'Big',
        viewer_count: 5000,
        game_name: 'VALORANT',
        title: 'ranked',
      },
    ]);
    const { data, pagination } = await page('/streams');
    expect(pagination).toEqual({});
    expect(data.map((s) => s.user_login)).toEqual(['big', 'small']);
    expect(data[0]).toEqual({
      id: expect.stringMatching(/^\d{11}$/),
      user_id: fakeUserId('big'),
      user_login: 'big',
      user_name: 'Big',
      game_id: '516575',
      game_name: 'VALORANT',
      type: 'live',
      title: 'ranked',
      viewer_count: 5000,
      started_at: '2023-11-14T22:13:20Z',
      language: 'en',
      thumbnail_url: 'https://static-cdn.jtvnw.net/previews-ttv/live_user_big-{width}x{height}.jpg',
      tag_ids: [],
      tags: ['English'],
      is_mature: false,
    });
  });

  it('pages 250 streams with first=100 and after cursors', async () => {
    fake.setStreams(manyStreams(250));
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const result = await page(
        `/streams?first=100${cursor === undefined ? '' : `&after=${cursor}`}`,
      );
      sizes.push(result.data.length);
      seen.push(...result.data.map((s) => s.user_login));
      cursor = result.pagination.cursor;
    } while (cursor !== undefined);
    expect(sizes).toEqual([100, 100, 50]);
    expect(seen).toEqual(manyStreams(250).map((s) => s.user_login));
    expect((await page('/streams')).data).toHaveLength(20);
  });

  it('pages backwards with before', async () => {
    fake.setStreams(manyStreams(30));
    const second = await page(
      `/streams?first=10&after=${(await page('/streams?first=10')).pagination.cursor}`,
    );
    const back = await page(`/streams?first=5&before=${second.pagination.cursor}`);
    expect(back.data.map((s) => s.user_login)).toEqual([
      'streamer015',
      'streamer016',
      'streamer017',
      'streamer018',
      'streamer019',
    ]);
  });

  it('refuses first above 100 or below 1, and a garbled cursor, with 400', async () => {
    const over = await get('/streams?first=101');
    expect(over.status).toBe(400);
    expect(await over.json()).toEqual({
      error: 'Bad Request',
      status: 400,
      message: 'The parameter "first" was malformed: the value must be less than or equal to 100',
    });
    expect((await get('/streams?first=0')).status).toBe(400);
    expect((await get('/streams?after=garbage')).status).toBe(400);
  });

  it('filters by language, game_id and user_login, repeated parameters meaning any of', async () => {
    fake.setStreams(manyStreams(50));
    const german = await page('/streams?first=100&language=de');
    expect(german.data).toHaveLength(10);
    expect(german.data.every((s) => s.language === 'de')).toBe(true);
    const germanLol = await page('/streams?first=100&language=de&game_id=21779');
    expect(germanLol.data.map((s) => s.user_login)).toEqual([
      'streamer005',
      'streamer015',
      'streamer025',
      'streamer035',
      'streamer045',
    ]);
    const two = await page(
      '/streams?user_login=streamer003&user_login=STREAMER001&user_login=offline',
    );
    expect(two.data.map((s) => s.user_login)).toEqual(['streamer001', 'streamer003']);
    const byId = await page(`/streams?user_id=${fakeUserId('streamer007')}`);
    expect(byId.data.map((s) => s.user_login)).toEqual(['streamer007']);
  });

  it('reflects changes between polls: viewers (ranks), titles, games, offline', async () => {
    fake.setStreams([
      { user_login: 'a', viewer_count: 300 },
      { user_login: 'b', viewer_count: 200 },
      { user_login: 'c', viewer_count: 100 },
    ]);
    const before = await page('/streams');
    now += 120_000;
    fake.updateStream('c', { viewer_count: 1000, title: 'new title', game_id: '33214' });
    fake.removeStream('b');
    const after = await page('/streams');
    expect(after.data.map((s) => [s.user_login, s.viewer_count])).toEqual([
      ['c', 1000],
      ['a', 300],
    ]);
    expect(after.data[0]).toMatchObject({
      title: 'new title',
      game_id: '33214',
      game_name: 'Fortnite',
    });
    // The same broadcast keeps its id and start time; setStreams keeps them too.
    const c0 = before.data.find((s) => s.user_login === 'c');
    expect(after.data[0]?.id).toBe(c0?.id);
    fake.setStreams([{ user_login: 'c', viewer_count: 1 }]);
    expect((await page('/streams')).data[0]?.started_at).toBe(c0?.started_at);
  });
});

describe('fake Helix: Get Users', () => {
  it('finds users by login and id, leaves unknown ones out', async () => {
    fake.setStreams([{ user_login: 'alpha' }]);
    fake.addUser({ login: 'beta', broadcaster_type: 'partner' });
    const response = await get(`/users?login=alpha&login=nobody&id=${fakeUserId('beta')}`);
    const { data } = (await response.json()) as { data: Record<string, unknown>[] };
    expect(data.map((u) => u.login).sort()).toEqual(['alpha', 'beta']);
    expect(data.find((u) => u.login === 'beta')).toMatchObject({
      id: fakeUserId('beta'),
      display_name: 'beta',
      broadcaster_type: 'partner',
      type: '',
    });
  });

  it('needs a login or id with an app token, and answers the owner for a user token', async () => {
    expect((await get('/users')).status).toBe(400);
    token = fake.issueUserToken({ login: 'scout' }).accessToken;
    const { data } = (await (await get('/users')).json()) as { data: { login: string }[] };
    expect(data.map((u) => u.login)).toEqual(['scout']);
  });
});

describe('fake Helix: rate limit, failures, request log', () => {
  it('sends Ratelimit headers and answers 429 when the bucket is empty, until the reset', async () => {
    fake.setRateLimit({ points: 3, windowMs: 60_000 });
    const first = await get('/streams');
    expect(first.headers.get('ratelimit-limit')).toBe('3');
    expect(first.headers.get('ratelimit-remaining')).toBe('2');
    expect(first.headers.get('ratelimit-reset')).toBe(String(Math.ceil((now + 60_000) / 1000)));
    await get('/streams');
    expect((await get('/streams')).headers.get('ratelimit-remaining')).toBe('0');
    const limited = await get('/streams');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('ratelimit-reset')).toBe(String(Math.ceil((now + 60_000) / 1000)));
    expect(await limited.json()).toEqual({
      error: 'Too Many Requests',
      status: 429,
      message: 'Too Many Requests',
    });
    now += 60_000;
    const afterReset = await get('/streams');
    expect(afterReset.status).toBe(200);
    expect(afterReset.headers.get('ratelimit-remaining')).toBe('2');
  });

  it('forces the next N responses to a status, then recovers', async () => {
    fake.forceNextResponses(503, 2);
    fake.forceNextResponses(429);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await get('/streams')).status);
    expect(statuses).toEqual([503, 503, 429, 200]);
    fake.forceNextResponses(500, 1, 'oauth');
    const query = new URLSearchParams({
      client_id: 'fake-client-id',
      client_secret: 'fake-client-secret',
      grant_type: 'client_credentials',
    });
    expect((await fetch(`${fake.authBaseUrl}/token?${query}`, { method: 'POST' })).status).toBe(
      500,
    );
    expect((await fetch(`${fake.authBaseUrl}/token?${query}`, { method: 'POST' })).status).toBe(
      200,
    );
  });

  it('forced 429s carry Ratelimit headers', async () => {
    fake.forceNextResponses(429);
    const response = await get('/streams');
    expect(response.status).toBe(429);
    expect(response.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(response.headers.get('ratelimit-reset'))).toBeGreaterThan(now / 1000);
  });

  it('logs every request with its query, headers and status', async () => {
    await get('/streams?first=5&language=en&language=de');
    await fetch(`${fake.apiBaseUrl}/streams`);
    expect(fake.requestsTo('/streams')).toEqual([
      {
        at: now,
        method: 'GET',
        path: '/helix/streams',
        query: { first: ['5'], language: ['en', 'de'] },
        clientId: 'fake-client-id',
        authorization: `Bearer ${token}`,
        status: 200,
      },
      expect.objectContaining({ status: 401, clientId: undefined, authorization: undefined }),
    ]);
  });
});
