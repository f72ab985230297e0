// The Helix client against the fake Helix + OAuth server: app token by client credentials,
// headers, Ratelimit-* waits, retries with back-off, one token renewal on 401, error counting,
// and no secret in the logs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HelixError } from '../../../src/sources/twitch/helix-error.ts';
import type { Fetch } from '../../../src/sources/twitch/http-exchange.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  capturingLogger,
  metricValue,
  startHelix,
  type HelixFixture,
} from './twitch-test-kit.ts';

let fixture: HelixFixture;

beforeEach(async () => {
  fixture = await startHelix({ streams: [{ user_login: 'alpha', viewer_count: 10 }] });
});

afterEach(async () => {
  await fixture.close();
});

function streamRequests(): { status: number; authorization: string | undefined; at: number }[] {
  return fixture.helix.requestsTo('/streams');
}

function tokenRequests(): { status: number }[] {
  return fixture.helix.requestsTo('/token');
}

async function errors(endpoint: string, status: string): Promise<number> {
  return metricValue(fixture.registry, 'twitch_api_errors_total', { endpoint, status });
}

describe('HelixClient', () => {
  it('gets an app token by client credentials once and sends Client-Id and Bearer', async () => {
    const client = fixture.client();
    const first = (await client.get('streams', { first: 100 })) as {
      data: { user_login: string }[];
    };
    await client.get('streams', {});
    expect(first.data.map((s) => s.user_login)).toEqual(['alpha']);
    expect(tokenRequests()).toHaveLength(1);
    const requests = fixture.helix.requestsTo('/streams');
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(request.clientId).toBe(CLIENT_ID);
      expect(request.authorization).toMatch(/^Bearer [a-z0-9]{30}$/);
      expect(request.query.first ?? ['100']).toEqual(['100']);
    }
    // The secret travels in the form body, never in the URL.
    expect(fixture.helix.requestsTo('/token')[0]?.query).toEqual({});
  });

  it('repeats array parameters and leaves out undefined ones', async () => {
    await fixture.client().get('streams', { user_login: ['alpha', 'beta'], after: undefined });
    expect(fixture.helix.requestsTo('/streams')[0]?.query).toEqual({
      user_login: ['alpha', 'beta'],
    });
  });

  it('waits for Ratelimit-Reset after a 429, then succeeds', async () => {
    const { time, helix } = fixture;
    helix.forceNextResponses(429, 1);
    await fixture.client().get('streams', {});
    const [rejected, accepted] = streamRequests();
    expect(rejected?.status).toBe(429);
    expect(accepted?.status).toBe(200);
    // The fake's bucket resets 60 s after the rejection: the client slept exactly that long.
    expect(time.sleeps).toEqual([60_000]);
    expect(accepted!.at - rejected!.at).toBe(60_000);
    expect(await errors('streams', '429')).toBe(1);
  });

  it('waits for the reset before spending a request when Ratelimit-Remaining is 0', async () => {
    const { time, helix } = fixture;
    helix.setRateLimit({ points: 2, windowMs: 60_000 });
    const client = fixture.client();
    await client.get('streams', {});
    await client.get('streams', {});
    expect(time.sleeps).toEqual([]);
    await client.get('streams', {});
    expect(time.sleeps).toEqual([60_000]);
    expect(streamRequests().map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await errors('streams', '429')).toBe(0);
  });

  it('caps a rate-limit wait whose reset lies far ahead', async () => {
    const { time, helix } = fixture;
    helix.setRateLimit({ points: 1, windowMs: 3_600_000 });
    const client = fixture.client({ maxRateLimitWaitMs: 5_000 });
    await client.get('streams', {});
    await expect(client.get('streams', {})).rejects.toMatchObject({ status: '429' });
    // Each wait is capped at 5 s; five tries in all, then the call gives up.
    expect(time.sleeps.every((ms) => ms <= 5_000)).toBe(true);
    expect(streamRequests().filter((r) => r.status === 429)).toHaveLength(5);
  });

  it('renews the app token once on 401 and retries', async () => {
    const { helix } = fixture;
    const client = fixture.client();
    await client.get('streams', {});
    helix.expireAllTokens();
    await client.get('streams', {});
    expect(streamRequests().map((r) => r.status)).toEqual([200, 401, 200]);
    expect(tokenRequests()).toHaveLength(2);
    const [first, rejected, retried] = streamRequests();
    expect(rejected?.authorization).toBe(first?.authorization);
    expect(retried?.authorization).not.toBe(first?.authorization);
    expect(fixture.time.sleeps).toEqual([]);
    expect(await errors('streams', '401')).toBe(1);
  });

  it('gives up after one renewal when Helix keeps answering 401', async () => {
    fixture.helix.forceNextResponses(401, 10);
    const failure = await fixture
      .client()
      .get('streams', {})
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HelixError);
    expect(failure).toMatchObject({ status: '401', transient: false, endpoint: 'streams' });
    expect((failure as Error).message).toMatch(/client id and secret/);
    expect(streamRequests()).toHaveLength(2);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('retries 5xx with jittered exponential back-off', async () => {
    fixture.helix.forceNextResponses(503, 2);
    fixture.helix.forceNextResponses(500, 1);
    await fixture.client().get('streams', {});
    expect(streamRequests().map((r) => r.status)).toEqual([503, 503, 500, 200]);
    // random() = 0.5: base/2 + base/4 with base 500, 1000, 2000 ms.
    expect(fixture.time.sleeps).toEqual([375, 750, 1500]);
    expect(await errors('streams', '503')).toBe(2);
    expect(await errors('streams', '500')).toBe(1);
  });

  it('bounds the back-off and the number of tries', async () => {
    fixture.helix.forceNextResponses(502, 100);
    const client = fixture.client({ maxAttempts: 8, backoff: { initialMs: 1_000, maxMs: 4_000 } });
    await expect(client.get('streams', {})).rejects.toMatchObject({
      status: '502',
      transient: true,
    });
    expect(streamRequests()).toHaveLength(8);
    expect(fixture.time.sleeps).toEqual([750, 1500, 3000, 3000, 3000, 3000, 3000]);
  });

  it('does not retry a request Twitch calls malformed', async () => {
    const failure = await fixture
      .client()
      .get('streams', { first: 1000 })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: '400', transient: false });
    expect((failure as Error).message).toMatch(/"first" was malformed/);
    expect(streamRequests()).toHaveLength(1);
    expect(await errors('streams', '400')).toBe(1);
  });

  it('retries network errors', async () => {
    let calls = 0;
    const flaky: Fetch = async (input, init) => {
      if (String(input).includes('/streams') && calls++ === 0) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    await fixture.client({ fetch: flaky }).get('streams', {});
    expect(streamRequests().map((r) => r.status)).toEqual([200]);
    expect(fixture.time.sleeps).toEqual([375]);
    expect(await errors('streams', 'network')).toBe(1);
  });

  it('times out a request that gets no answer, and retries it', async () => {
    let calls = 0;
    // The first Get Streams hangs until its deadline aborts it, like a stalled connection.
    const stalling: Fetch = (input, init) => {
      if (String(input).includes('/streams') && calls++ === 0) {
        return new Promise((_, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        });
      }
      return fetch(input, init);
    };
    await fixture.client({ fetch: stalling, requestTimeoutMs: 50 }).get('streams', {});
    expect(await errors('streams', 'timeout')).toBe(1);
    expect(streamRequests().map((r) => r.status)).toEqual([200]);
  });

  it('stops at once when the caller aborts', async () => {
    const abort = new AbortController();
    fixture.helix.forceNextResponses(503, 100);
    const client = fixture.client({
      sleep: async () => {
        abort.abort();
      },
    });
    await expect(client.get('streams', {}, abort.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(streamRequests()).toHaveLength(1);
  });

  it('retries a 5xx from the OAuth server', async () => {
    fixture.helix.forceNextResponses(503, 1, 'oauth');
    await fixture.client().get('streams', {});
    expect(tokenRequests().map((r) => r.status)).toEqual([503, 200]);
    expect(await errors('oauth2/token', '503')).toBe(1);
  });

  it('fails with an actionable error, once, when the client secret is refused', async () => {
    const failure = await fixture
      .client({ clientSecret: 'not-the-secret' })
      .get('streams', {})
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HelixError);
    expect(failure).toMatchObject({ status: '403', transient: false, endpoint: 'oauth2/token' });
    expect((failure as Error).message).toMatch(/client id and client secret/);
    expect((failure as Error).message).not.toContain('not-the-secret');
    expect(tokenRequests()).toHaveLength(1);
    expect(streamRequests()).toHaveLength(0);
    expect(await errors('oauth2/token', '403')).toBe(1);
  });

  it('never logs the client secret or a token', async () => {
    const { logger, lines } = capturingLogger();
    const client = fixture.client({ logger });
    await client.get('streams', {});
    fixture.helix.expireAllTokens();
    fixture.helix.forceNextResponses(503, 1);
    fixture.helix.forceNextResponses(429, 1);
    await client.get('streams', {});
    const tokens = new Set(
      fixture.helix.requests
        .map((r) => /^Bearer (\S+)$/.exec(r.authorization ?? '')?.[1])
        .filter((t): t is string => t !== undefined),
    );
    expect(tokens.size).toBe(2);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const log = lines.join('');
    expect(log).not.toContain(CLIENT_SECRET);
    for (const token of tokens) expect(log).not.toContain(token);
  });
});
