// The fake OAuth server: client credentials, validation, refresh-token rotation, expiry, and
// Helix's answers to missing, invalid and expired tokens.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeHelixServer } from '../support/fake-twitch/fake-helix-server.ts';

let fake: FakeHelixServer;
let now = 1_700_000_000_000;

beforeEach(async () => {
  now = 1_700_000_000_000;
  fake = await FakeHelixServer.start({
    clients: { app1: 'secret1', app2: 'secret2' },
    clock: () => now,
    streams: [{ user_login: 'alpha', viewer_count: 10 }],
  });
});

afterEach(async () => {
  await fake.close();
});

async function appToken(clientId = 'app1', secret = 'secret1'): Promise<Response> {
  const query = new URLSearchParams({
    client_id: clientId,
    client_secret: secret,
    grant_type: 'client_credentials',
  });
  return fetch(`${fake.authBaseUrl}/token?${query}`, { method: 'POST' });
}

/** `null` leaves a header out. */
function helix(
  path: string,
  token: string | null,
  clientId: string | null = 'app1',
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (clientId !== null) headers['Client-Id'] = clientId;
  return fetch(`${fake.apiBaseUrl}${path}`, { headers });
}

describe('fake Twitch OAuth', () => {
  it('issues an app token by client credentials in Twitch shape', async () => {
    const response = await appToken();
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[a-z0-9]{30}$/),
      expires_in: 5_184_000,
      token_type: 'bearer',
    });
    const streams = await helix('/streams', body.access_token as string);
    expect(streams.status).toBe(200);
  });

  it('takes the parameters from a form body too', async () => {
    const response = await fetch(`${fake.authBaseUrl}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: 'app2',
        client_secret: 'secret2',
        grant_type: 'client_credentials',
      }),
    });
    expect(response.status).toBe(200);
  });

  it('refuses unknown clients and wrong secrets', async () => {
    const unknown = await appToken('nobody', 'x');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ status: 400, message: 'invalid client' });
    const wrong = await appToken('app1', 'wrong');
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ status: 403, message: 'invalid client secret' });
  });

  it('validates app and user tokens with OAuth or Bearer, and refuses others', async () => {
    const { access_token: app } = (await (await appToken()).json()) as { access_token: string };
    now += 1000;
    const validApp = await fetch(`${fake.authBaseUrl}/validate`, {
      headers: { Authorization: `OAuth ${app}` },
    });
    expect(await validApp.json()).toEqual({ client_id: 'app1', scopes: [], expires_in: 5_183_999 });
    const user = fake.issueUserToken({ login: 'Scout', scopes: ['chat:read'] });
    const validUser = await fetch(`${fake.authBaseUrl}/validate`, {
      headers: { Authorization: `Bearer ${user.accessToken}` },
    });
    expect(await validUser.json()).toEqual({
      client_id: 'app1',
      login: 'scout',
      scopes: ['chat:read'],
      user_id: user.userId,
      expires_in: 14_400,
    });
    const invalid = await fetch(`${fake.authBaseUrl}/validate`, {
      headers: { Authorization: 'OAuth nope' },
    });
    expect(invalid.status).toBe(401);
    expect(await invalid.json()).toEqual({ status: 401, message: 'invalid access token' });
    const missing = await fetch(`${fake.authBaseUrl}/validate`);
    expect(await missing.json()).toEqual({ status: 401, message: 'missing authorization token' });
  });

  it('rotates the refresh token: the new one works, the spent one does not', async () => {
    const user = fake.issueUserToken({ login: 'scout' });
    const refresh = (token: string): Promise<Response> =>
      fetch(`${fake.authBaseUrl}/token`, {
        method: 'POST',
        body: new URLSearchParams({
          client_id: 'app1',
          client_secret: 'secret1',
          grant_type: 'refresh_token',
          refresh_token: token,
        }),
      });
    const first = await refresh(user.refreshToken);
    expect(first.status).toBe(200);
    const body = (await first.json()) as Record<string, unknown>;
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[a-z0-9]{30}$/),
      expires_in: 14_400,
      refresh_token: expect.stringMatching(/^[a-z0-9]{50}$/),
      scope: ['chat:read'],
      token_type: 'bearer',
    });
    expect(body.refresh_token).not.toBe(user.refreshToken);
    const spent = await refresh(user.refreshToken);
    expect(spent.status).toBe(400);
    expect(await spent.json()).toEqual({ status: 400, message: 'Invalid refresh token' });
    expect((await refresh(body.refresh_token as string)).status).toBe(200);
  });

  it('makes every token fail once expired, until a new one is fetched', async () => {
    const { access_token: token } = (await (await appToken()).json()) as { access_token: string };
    expect((await helix('/streams', token)).status).toBe(200);
    fake.expireAllTokens();
    const expired = await helix('/streams', token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toBe(
      'OAuth realm="TwitchTV", error="invalid_token"',
    );
    expect(await expired.json()).toEqual({
      error: 'Unauthorized',
      status: 401,
      message: 'Invalid OAuth token',
    });
    const { access_token: renewed } = (await (await appToken()).json()) as { access_token: string };
    expect((await helix('/streams', renewed)).status).toBe(200);
  });

  it('expires tokens by the clock too', async () => {
    const token = fake.issueAppToken();
    now += 5_184_000 * 1000 - 1;
    expect((await helix('/streams', token)).status).toBe(200);
    now += 1;
    expect((await helix('/streams', token)).status).toBe(401);
  });

  it('answers Helix without a token, without a client id, or with a mismatched one with 401', async () => {
    const token = fake.issueAppToken('app1');
    const noToken = await helix('/streams', null);
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toEqual({
      error: 'Unauthorized',
      status: 401,
      message: 'OAuth token is missing',
    });
    const noClient = await helix('/streams', token, null);
    expect(await noClient.json()).toEqual({
      error: 'Unauthorized',
      status: 401,
      message: 'Client ID is missing',
    });
    const mismatch = await helix('/streams', token, 'app2');
    expect(await mismatch.json()).toEqual({
      error: 'Unauthorized',
      status: 401,
      message: 'Client ID and OAuth token do not match',
    });
  });

  it('serves the same endpoints under the paths @twurple uses with TWURPLE_MOCK_API_PORT', async () => {
    const query = new URLSearchParams({
      client_id: 'app1',
      client_secret: 'secret1',
      grant_type: 'client_credentials',
    });
    const token = await fetch(`${fake.baseUrl}/auth/token?${query}`, { method: 'POST' });
    const { access_token } = (await token.json()) as { access_token: string };
    const streams = await fetch(`${fake.baseUrl}/mock/streams`, {
      headers: { Authorization: `Bearer ${access_token}`, 'Client-Id': 'app1' },
    });
    expect(streams.status).toBe(200);
  });
});
