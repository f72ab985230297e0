// The fake OAuth server's user grants: the Device Code Grant Flow (pending, slow_down, approved,
// denied, expired; public and confidential clients) and the authorization-code flow's redirect
// and code exchange, in Twitch's shapes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeHelixServer } from '../support/fake-twitch/fake-helix-server.ts';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const REDIRECT = 'http://localhost:3000/callback';

let fake: FakeHelixServer;
let now = 1_700_000_000_000;

beforeEach(async () => {
  now = 1_700_000_000_000;
  fake = await FakeHelixServer.start({ clients: { app1: 'secret1' }, clock: () => now });
});

afterEach(async () => {
  await fake.close();
});

async function post(endpoint: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${fake.authBaseUrl}/${endpoint}`, {
    method: 'POST',
    body: new URLSearchParams(form),
  });
}

interface DeviceStart {
  device_code: string;
  user_code: string;
  verification_uri: string;
  expires_in: number;
  interval: number;
}

async function startDevice(): Promise<DeviceStart> {
  const response = await post('device', { client_id: 'app1', scopes: 'chat:read clips:edit' });
  expect(response.status).toBe(200);
  return (await response.json()) as DeviceStart;
}

function poll(deviceCode: string, extra: Record<string, string> = {}): Promise<Response> {
  return post('token', {
    client_id: 'app1',
    scopes: 'chat:read clips:edit',
    device_code: deviceCode,
    grant_type: DEVICE_GRANT,
    ...extra,
  });
}

describe('fake Twitch: Device Code Grant Flow', () => {
  it('answers authorization_pending, slow_down when polled too fast, then the token once approved', async () => {
    const device = await startDevice();
    expect(device).toEqual({
      device_code: expect.stringMatching(/^[a-z0-9]{40}$/),
      expires_in: 1800,
      interval: 5,
      user_code: expect.stringMatching(/^[A-Z]{8}$/),
      verification_uri: `${fake.baseUrl}/activate?device-code=${device.user_code}`,
    });
    const pending = await poll(device.device_code);
    expect(pending.status).toBe(400);
    expect(await pending.json()).toEqual({ status: 400, message: 'authorization_pending' });
    now += 1000;
    expect(await (await poll(device.device_code)).json()).toEqual({
      status: 400,
      message: 'slow_down',
    });
    fake.approveDevice(device.user_code, 'Clipper');
    now += 5000;
    // A confidential client may send its secret along.
    const granted = await poll(device.device_code, { client_secret: 'secret1' });
    expect(granted.status).toBe(200);
    const body = (await granted.json()) as Record<string, unknown>;
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[a-z0-9]{30}$/),
      expires_in: 14_400,
      refresh_token: expect.stringMatching(/^[a-z0-9]{50}$/),
      scope: ['chat:read', 'clips:edit'],
      token_type: 'bearer',
    });
    const validated = await fetch(`${fake.authBaseUrl}/validate`, {
      headers: { Authorization: `OAuth ${body.access_token as string}` },
    });
    expect(await validated.json()).toMatchObject({ login: 'clipper', client_id: 'app1' });
    now += 5000;
    expect(await (await poll(device.device_code)).json()).toEqual({
      status: 400,
      message: 'invalid device code',
    });
  });

  it('refuses a denied code, an expired code, a wrong secret and an unknown client', async () => {
    const denied = await startDevice();
    fake.denyDevice(denied.user_code);
    expect(await (await poll(denied.device_code)).json()).toEqual({
      status: 400,
      message: 'access_denied',
    });
    const expired = await startDevice();
    now += 1800 * 1000;
    expect(await (await poll(expired.device_code)).json()).toEqual({
      status: 400,
      message: 'invalid device code',
    });
    const wrongSecret = await poll((await startDevice()).device_code, { client_secret: 'nope' });
    expect(wrongSecret.status).toBe(403);
    const unknown = await post('device', { client_id: 'nobody', scopes: 'chat:read' });
    expect(await unknown.json()).toEqual({ status: 400, message: 'invalid client' });
  });
});

describe('fake Twitch: authorization code flow', () => {
  function authorizeUrl(state: string): string {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'app1',
      redirect_uri: REDIRECT,
      scope: 'chat:read clips:edit',
      state,
    });
    return `${fake.authBaseUrl}/authorize?${query}`;
  }

  it('redirects with a code and the state, and exchanges the code once for its redirect URI', async () => {
    fake.autoApproveAs('streamer');
    const answer = await fetch(authorizeUrl('s1'), { redirect: 'manual' });
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('s1');
    expect(location.searchParams.get('scope')).toBe('chat:read clips:edit');
    const code = location.searchParams.get('code') ?? '';
    const exchange = (redirectUri: string): Promise<Response> =>
      post('token', {
        client_id: 'app1',
        client_secret: 'secret1',
        code,
        grant_type: 'authorization_code',
        redirect_uri: redirectUri,
      });
    const granted = await exchange(REDIRECT);
    expect(granted.status).toBe(200);
    expect(await granted.json()).toMatchObject({ scope: ['chat:read', 'clips:edit'] });
    expect(await (await exchange(REDIRECT)).json()).toEqual({
      status: 400,
      message: 'Invalid authorization code',
    });
  });

  it('redirects with error=access_denied when the user cancels, and needs the secret', async () => {
    fake.autoDeny();
    const answer = await fetch(authorizeUrl('s2'), { redirect: 'manual' });
    const location = new URL(answer.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('s2');
    const noSecret = await post('token', {
      client_id: 'app1',
      code: 'x',
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT,
    });
    expect(noSecret.status).toBe(403);
  });
});
