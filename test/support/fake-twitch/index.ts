// Fake Twitch for tests and local runs: the chat server and the Helix + OAuth server together,
// with the environment that points Stream Scout at them.
import { FakeHelixServer, type FakeHelixServerOptions } from './fake-helix-server.ts';
import { FakeIrcServer, type FakeIrcServerOptions } from './fake-irc-server.ts';

export * from './chat-lines.ts';
export * from './fake-helix-server.ts';
export * from './fake-ids.ts';
export * from './fake-irc-server.ts';
export * from './irc-protocol.ts';
export * from './live-channels.ts';
export * from './raw-irc-client.ts';

export const FAKE_CLIENT_ID = 'fake-client-id';
export const FAKE_CLIENT_SECRET = 'fake-client-secret';

export interface FakeTwitch {
  irc: FakeIrcServer;
  helix: FakeHelixServer;
  /**
   * TWITCH_API_BASE_URL, TWITCH_AUTH_BASE_URL, TWITCH_IRC_HOST (`host:port`) and the fake app's
   * TWITCH_CLIENT_ID / TWITCH_CLIENT_SECRET.
   */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startFakeTwitch(
  options: { irc?: FakeIrcServerOptions; helix?: FakeHelixServerOptions } = {},
): Promise<FakeTwitch> {
  const helix = await FakeHelixServer.start({
    clients: { [FAKE_CLIENT_ID]: FAKE_CLIENT_SECRET },
    ...options.helix,
  });
  let irc: FakeIrcServer;
  try {
    irc = await FakeIrcServer.start({
      userOfToken: (token) => helix.chatUserOf(token),
      ...options.irc,
    });
  } catch (error) {
    await helix.close();
    throw error;
  }
  return {
    irc,
    helix,
    env: {
      TWITCH_API_BASE_URL: helix.apiBaseUrl,
      TWITCH_AUTH_BASE_URL: helix.authBaseUrl,
      TWITCH_IRC_HOST: `${irc.host}:${irc.port}`,
      TWITCH_CLIENT_ID: FAKE_CLIENT_ID,
      TWITCH_CLIENT_SECRET: FAKE_CLIENT_SECRET,
    },
    close: async () => {
      await Promise.all([irc.close(), helix.close()]);
    },
  };
}
