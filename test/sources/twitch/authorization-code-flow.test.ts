// The authorization-code flow with its local callback, against the fake OAuth server: the test
// is the browser, following the fake's redirect to http://localhost:<port>/callback.
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  authorizeInBrowser,
  type AuthorizationCodeFlowOptions,
} from '../../../src/sources/twitch/authorization-code-flow.ts';
import { findFreePort } from '../../../src/storage/free-port.ts';
import {
  startHelix,
  USER_SCOPES as SCOPES,
  userGrant,
  type HelixFixture,
} from './twitch-test-kit.ts';

let fixture: HelixFixture;
let port: number;

beforeEach(async () => {
  fixture = await startHelix();
  port = await findFreePort();
});

afterEach(async () => {
  await fixture.close();
});

type Browse = (prompt: { authorizeUrl: string; redirectUri: string }) => Promise<void>;

/** Runs the flow; `browse` is what the person does with the address it shows. */
async function authorize(browse: Browse, overrides: Partial<AuthorizationCodeFlowOptions> = {}) {
  let browsing: Promise<void> = Promise.resolve();
  const token = authorizeInBrowser({
    ...userGrant(fixture),
    port,
    onPrompt: (prompt) => (browsing = browse(prompt)),
    ...overrides,
  });
  // Whatever the flow ends with, the browser's requests must have been answered too.
  const [outcome] = await Promise.allSettled([token]);
  await browsing;
  if (outcome.status === 'rejected') throw outcome.reason;
  return outcome.value;
}

/** The browser: opens the address, follows Twitch's redirect, and reads the page it ends on. */
async function open(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

describe('authorizeInBrowser', () => {
  it('exchanges the code Twitch sends back to the callback for the token', async () => {
    fixture.helix.autoApproveAs('streamer');
    let page = { status: 0, text: '' };
    const token = await authorize(async ({ authorizeUrl, redirectUri }) => {
      expect(redirectUri).toBe(`http://localhost:${port}/callback`);
      const query = new URL(authorizeUrl).searchParams;
      expect(query.get('scope')).toBe('chat:read clips:edit');
      expect(query.get('state')).toMatch(/^[0-9a-f]{32}$/);
      page = await open(authorizeUrl);
    });
    expect(token).toMatchObject({ scopes: SCOPES });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Stream Scout is authorized');
    const exchange = fixture.helix.requestsTo('/oauth2/token');
    expect(exchange.map((r) => r.status)).toEqual([200]);
  });

  it('turns away a callback whose state is not its own, and keeps waiting for the real one', async () => {
    fixture.helix.autoApproveAs('streamer');
    const token = await authorize(async ({ authorizeUrl, redirectUri }) => {
      const forged = await open(`${redirectUri}?code=stolen&scope=chat%3Aread&state=forged`);
      expect(forged.status).toBe(400);
      expect(forged.text).toContain('not for the streamscout auth that is waiting');
      expect((await open(authorizeUrl)).status).toBe(200);
    });
    expect(token).toMatchObject({ scopes: SCOPES });
    // The forged code was never sent to Twitch.
    expect(fixture.helix.requestsTo('/oauth2/token')).toHaveLength(1);
  });

  it('ends with one line when the person cancels on Twitch', async () => {
    fixture.helix.autoDeny();
    let page = { status: 0, text: '' };
    const run = authorize(async ({ authorizeUrl }) => {
      page = await open(authorizeUrl);
    });
    await expect(run).rejects.toThrow(
      'the authorization was declined on Twitch (The user denied you access)',
    );
    expect(page.text).toContain('was not authorized');
  });

  it('says which port is in use', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      await expect(authorize(async () => {})).rejects.toThrow(
        `--port ${port}: the port is in use; choose another`,
      );
    } finally {
      holder.close();
    }
  });

  it('stops waiting, and frees the port, when the browser never comes back', async () => {
    const run = authorize(async () => {}, { waitMs: 300 });
    await expect(run).rejects.toThrow(
      'no answer from the browser within 0.3 s: run streamscout auth again',
    );
    // The callback port is closed again: another run can listen on it.
    const again = createServer();
    await new Promise<void>((resolve) => again.listen(port, '127.0.0.1', resolve));
    again.close();
  });
});
