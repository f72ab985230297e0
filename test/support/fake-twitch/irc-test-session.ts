// A fake IRC server and the raw clients of one test, all closed after it: the set-up every
// test file of the fake's chat side needs.
import { afterEach } from 'vitest';
import { FakeIrcServer, type FakeIrcServerOptions } from './fake-irc-server.ts';
import { RawIrcClient } from './raw-irc-client.ts';

export interface IrcTestSession {
  /** Starts the test's server (closed after the test). */
  start(options?: FakeIrcServerOptions): Promise<FakeIrcServer>;
  /** A client connected to `fake`, not logged in. */
  connect(fake: FakeIrcServer): Promise<RawIrcClient>;
  /** A client connected to `fake` and logged in (anonymous unless options say otherwise). */
  login(
    fake: FakeIrcServer,
    options?: Parameters<typeof RawIrcClient.login>[1],
  ): Promise<RawIrcClient>;
}

/** Call once at the top of a test file. */
export function ircTestSession(): IrcTestSession {
  const servers: FakeIrcServer[] = [];
  const clients: RawIrcClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const server of servers.splice(0)) await server.close();
  });
  const track = (client: RawIrcClient): RawIrcClient => {
    clients.push(client);
    return client;
  };
  return {
    async start(options = {}) {
      const server = await FakeIrcServer.start(options);
      servers.push(server);
      return server;
    },
    async connect(fake) {
      return track(await RawIrcClient.connect(fake.port));
    },
    async login(fake, options = {}) {
      return track(await RawIrcClient.login(fake.port, options));
    },
  };
}
