// The Device Code Grant Flow against the fake OAuth server, on fake time: waits a minute of polls
// in milliseconds, and plays the user from inside the sleeps.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  authorizeDevice,
  type DeviceCodeFlowOptions,
  type DevicePrompt,
} from '../../../src/sources/twitch/device-code-flow.ts';
import { UserAuthorizationError } from '../../../src/sources/twitch/twitch-oauth.ts';
import {
  startHelix,
  USER_SCOPES as SCOPES,
  userGrant,
  type HelixFixture,
} from './twitch-test-kit.ts';

let fixture: HelixFixture;

beforeEach(async () => {
  fixture = await startHelix({ deviceCodeLifetimeSeconds: 60 });
});

afterEach(async () => {
  await fixture.close();
});

/**
 * The flow on the fixture's clock. `duringSleep(n)` runs in the n-th sleep (from 1), after the
 * clock moved on: the person at the other device acting while the flow waits.
 */
function flow(
  duringSleep: (n: number, prompt: DevicePrompt) => { shortBy?: number } | void = () => {},
  overrides: Partial<DeviceCodeFlowOptions> = {},
): { run: Promise<unknown>; sleeps: number[] } {
  const sleeps: number[] = [];
  let prompt: DevicePrompt | undefined;
  const run = authorizeDevice({
    ...userGrant(fixture),
    clock: fixture.time.clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      const asked = duringSleep(sleeps.length, prompt!);
      fixture.time.now += ms - (asked?.shortBy ?? 0);
    },
    onPrompt: (shown) => (prompt = shown),
    ...overrides,
  });
  return { run, sleeps };
}

describe('authorizeDevice', () => {
  it('polls while pending, slows down when told to, and returns the token once approved', async () => {
    const { run, sleeps } = flow((n, prompt) => {
      expect(prompt.verificationUri).toBe(
        `${fixture.helix.baseUrl}/activate?device-code=${prompt.userCode}`,
      );
      // The second wait ends early (timers coalesced, a machine waking up): Twitch says slow_down.
      if (n === 2) return { shortBy: 4000 };
      if (n === 4) fixture.helix.approveDevice(prompt.userCode, 'clipper');
    });
    const token = await run;
    expect(token).toEqual({
      accessToken: expect.stringMatching(/^[a-z0-9]{30}$/),
      refreshToken: expect.stringMatching(/^[a-z0-9]{50}$/),
      scopes: SCOPES,
    });
    // Twitch's interval of 5 s, then 5 s more for good after slow_down (RFC 8628).
    expect(sleeps).toEqual([5000, 5000, 10_000, 10_000]);
    const answers = fixture.helix.requestsTo('/oauth2/token').map((r) => r.status);
    expect(answers).toEqual([400, 400, 400, 200]);
  });

  it('works for a public client, which sends no secret', async () => {
    const { run } = flow((_n, prompt) => fixture.helix.approveDevice(prompt.userCode, 'clipper'), {
      clientSecret: undefined,
    });
    await expect(run).resolves.toMatchObject({ scopes: SCOPES });
  });

  it('ends with one line when the person declines', async () => {
    const { run } = flow((_n, prompt) => fixture.helix.denyDevice(prompt.userCode));
    await expect(run).rejects.toThrow(UserAuthorizationError);
    await expect(run).rejects.toThrow(/^the authorization was declined on Twitch/);
  });

  it('ends with one line when the code expires unused', async () => {
    const { run, sleeps } = flow();
    await expect(run).rejects.toThrow(/^the code expired before it was entered on Twitch/);
    // A minute's code, polled every 5 s: no poll after the deadline.
    expect(sleeps).toHaveLength(12);
    expect(fixture.helix.requestsTo('/oauth2/token')).toHaveLength(11);
  });

  it('names the client id when Twitch does not know the app', async () => {
    const { run } = flow(undefined, { clientId: 'nobody' });
    await expect(run).rejects.toThrow(
      'Twitch refused to start the device code flow (400: invalid client): check TWITCH_CLIENT_ID',
    );
  });
});
