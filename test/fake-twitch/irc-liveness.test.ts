// The fake chat server's liveness controls: its PINGs and the drop of silent clients,
// RECONNECT, and abrupt disconnection.
import { describe, expect, it } from 'vitest';
import { FakeIrcServer } from '../support/fake-twitch/fake-irc-server.ts';
import { ircTestSession } from '../support/fake-twitch/irc-test-session.ts';

const irc = ircTestSession();

describe('fake Twitch IRC: liveness', () => {
  it('PINGs on an interval and drops a client that does not PONG, keeping one that does', async () => {
    const fake = await irc.start({ pingIntervalMs: 30, pingTimeoutMs: 300 });
    const silent = await irc.login(fake, { nick: 'justinfan1' });
    const alive = await irc.login(fake, { nick: 'justinfan2' });
    alive.autoPong = true;
    const ping = await silent.waitFor((m) => m.command === 'PING', 'PING');
    expect(ping.raw).toBe('PING :tmi.twitch.tv');
    await silent.waitForClose();
    // Ping rounds go on for the client that answers: it stays connected.
    const from = alive.mark();
    await alive.waitForCount((m) => m.command === 'PING', 2, 'PINGs', { from });
    expect(alive.closed).toBe(false);
    // The server only pings again once answered: every PING but the last was answered.
    const pings = alive.lines.filter((l) => l.startsWith('PING')).length;
    expect(fake.stats.pongsReceived).toBeGreaterThanOrEqual(pings - 1);
    expect(fake.disconnects).toEqual([
      expect.objectContaining({ clientId: 1, reason: 'ping-timeout' }),
    ]);
    expect(fake.clients.map((c) => c.nick)).toEqual(['justinfan2']);
  });

  it('pings on demand with pingAll, without waiting for the interval', async () => {
    const fake = await irc.start({ pingIntervalMs: 0, pingTimeoutMs: 50 });
    const client = await irc.login(fake, { nick: 'justinfan1' });
    fake.pingAll();
    await client.waitFor((m) => m.command === 'PING', 'PING');
    await client.waitForClose();
    expect(fake.stats.pingsSent).toBe(1);
  });

  it('tells registered clients to RECONNECT and can close them afterwards', async () => {
    const fake = await irc.start();
    const client = await irc.login(fake, { nick: 'justinfan1' });
    const result = fake.sendReconnect({ closeAfterMs: 20 });
    expect(result.delivered).toBe(1);
    const reconnect = await client.waitFor((m) => m.command === 'RECONNECT', 'RECONNECT');
    expect(reconnect.raw).toBe(':tmi.twitch.tv RECONNECT');
    await client.waitForClose();
    expect(fake.disconnects.map((d) => d.reason)).toEqual(['reconnect']);
    // The client comes back on a new connection and rejoins.
    const again = await irc.login(fake, { nick: 'justinfan1' });
    again.send('JOIN #alpha');
    await again.waitFor((m) => m.command === 'ROOMSTATE', 'ROOMSTATE');
    expect(fake.allClients.map((c) => [c.id, c.connected])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('drops every connection abruptly', async () => {
    const fake = await irc.start();
    const a = await irc.login(fake, { nick: 'justinfan1' });
    const b = await irc.login(fake, { nick: 'justinfan2' });
    expect(fake.dropConnections()).toBe(2);
    await a.waitForClose();
    await b.waitForClose();
    expect(fake.connectionCount).toBe(0);
    expect(fake.disconnects.map((d) => d.reason)).toEqual(['dropped', 'dropped']);
  });

  it('freezes connections: open but silent, no PONG and no chat, no server PING either', async () => {
    const fake = await irc.start({ pingIntervalMs: 20, pingTimeoutMs: 20 });
    const client = await irc.login(fake, { nick: 'justinfan1' });
    client.send('JOIN #alpha');
    await client.waitFor((m) => m.command === 'ROOMSTATE', 'ROOMSTATE');
    expect(fake.freezeConnections()).toBe(1);
    const from = client.mark();
    client.send('PING :are-you-there');
    expect(fake.sendPrivmsg('alpha', { user: 'v', text: 'lost' }).delivered).toBe(0);
    await expect(
      client.waitFor((m) => m.command === 'PONG' || m.command === 'PING', 'any reply', {
        from,
        timeoutMs: 150,
      }),
    ).rejects.toThrow(/timed out/);
    expect(client.closed).toBe(false);
    expect(fake.connectionCount).toBe(1);
  });

  it('notices a client that closes its side', async () => {
    const fake = await irc.start();
    const client = await irc.login(fake, { nick: 'justinfan1' });
    client.close();
    await fake.waitFor(() => fake.connectionCount === 0, 'the close');
    expect(fake.disconnects.map((d) => d.reason)).toEqual(['client-closed']);
  });

  it('waits for a busy port when asked, then takes it', async () => {
    const first = await FakeIrcServer.start();
    const port = first.port;
    const second = irc.start({ port, waitForPortMs: 3000 });
    await first.close();
    expect((await second).port).toBe(port);
  });
});
