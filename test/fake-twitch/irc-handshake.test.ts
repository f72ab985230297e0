// The fake chat server's login: capability negotiation, anonymous and token logins, refusals.
import { beforeEach, describe, expect, it } from 'vitest';
import type { FakeIrcServer } from '../support/fake-twitch/fake-irc-server.ts';
import { ircTestSession } from '../support/fake-twitch/irc-test-session.ts';
import type { RawIrcClient } from '../support/fake-twitch/raw-irc-client.ts';

const irc = ircTestSession();
let server: FakeIrcServer;
const connect = (): Promise<RawIrcClient> => irc.connect(server);

beforeEach(async () => {
  server = await irc.start({
    tokens: { goodtoken: { login: 'scoutbot', userId: '4242' } },
  });
});

describe('fake Twitch IRC: handshake', () => {
  it('lists the three Twitch capabilities and ACKs a request for them', async () => {
    const client = await connect();
    client.send('CAP LS 302');
    const ls = await client.waitFor((m) => m.command === 'CAP' && m.params[1] === 'LS', 'CAP LS');
    expect(ls.raw).toBe(
      ':tmi.twitch.tv CAP * LS :twitch.tv/tags twitch.tv/commands twitch.tv/membership',
    );
    client.send('CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership');
    const ack = await client.waitFor((m) => m.params[1] === 'ACK', 'CAP ACK');
    expect(ack.raw).toBe(
      ':tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands twitch.tv/membership',
    );
  });

  it('NAKs a request naming an unknown capability, granting none of it', async () => {
    const client = await connect();
    client.send('CAP REQ :twitch.tv/tags sasl');
    const nak = await client.waitFor((m) => m.command === 'CAP', 'CAP reply');
    expect(nak.raw).toBe(':tmi.twitch.tv CAP * NAK :twitch.tv/tags sasl');
    client.send('NICK justinfan1');
    await client.waitFor((m) => m.command === '376', 'welcome');
    expect(server.clients[0]?.capabilities).toEqual([]);
  });

  it('welcomes an anonymous justinfan without PASS, with Twitch numerics and no GLOBALUSERSTATE', async () => {
    const client = await irc.login(server, { nick: 'justinfan12345' });
    expect(client.lines.slice(1)).toEqual([
      ':tmi.twitch.tv 001 justinfan12345 :Welcome, GLHF!',
      ':tmi.twitch.tv 002 justinfan12345 :Your host is tmi.twitch.tv',
      ':tmi.twitch.tv 003 justinfan12345 :This server is rather new',
      ':tmi.twitch.tv 004 justinfan12345 :-',
      ':tmi.twitch.tv 375 justinfan12345 :-',
      ':tmi.twitch.tv 372 justinfan12345 :You are in a maze of twisty passages, all alike.',
      ':tmi.twitch.tv 376 justinfan12345 :>',
    ]);
    const [info] = server.clients;
    expect(info).toMatchObject({ nick: 'justinfan12345', anonymous: true, registered: true });
  });

  it('accepts any PASS from a justinfan nick', async () => {
    await irc.login(server, { nick: 'justinfan7', pass: 'SCHMOOPIIE' });
    expect(server.clients[0]?.anonymous).toBe(true);
  });

  it('logs a valid token in as its owner and sends GLOBALUSERSTATE with tags', async () => {
    const client = await irc.login(server, {
      nick: 'whatever',
      pass: 'oauth:goodtoken',
    });
    expect(client.lines).toContain(':tmi.twitch.tv 001 scoutbot :Welcome, GLHF!');
    const global = await client.waitFor((m) => m.command === 'GLOBALUSERSTATE', 'GLOBALUSERSTATE');
    expect(global.raw).toBe(
      '@badge-info=;badges=;color=;display-name=scoutbot;emote-sets=0;user-id=4242;user-type= :tmi.twitch.tv GLOBALUSERSTATE',
    );
    expect(server.clients[0]).toMatchObject({ nick: 'scoutbot', anonymous: false });
  });

  it('refuses a bad token with Twitch NOTICE and closes the connection', async () => {
    const client = await connect();
    client.send('PASS oauth:wrongtoken');
    client.send('NICK scoutbot');
    await client.waitForClose();
    expect(client.lines).toEqual([':tmi.twitch.tv NOTICE * :Login authentication failed']);
    expect(server.disconnects).toEqual([expect.objectContaining({ reason: 'auth-failed' })]);
  });

  it('refuses a non-anonymous nick without an oauth: PASS as improperly formatted', async () => {
    const client = await connect();
    client.send('NICK scoutbot');
    await client.waitForClose();
    expect(client.lines).toEqual([':tmi.twitch.tv NOTICE * :Improperly formatted auth']);
  });

  it('answers a client PING with PONG carrying the same text, before and after login', async () => {
    const client = await connect();
    client.send('PING :1700000000000');
    const pong = await client.waitFor((m) => m.command === 'PONG', 'PONG');
    expect(pong.raw).toBe(':tmi.twitch.tv PONG tmi.twitch.tv :1700000000000');
  });

  it('answers an unknown command after login with 421', async () => {
    const client = await irc.login(server);
    client.send('WHO #foo');
    const reply = await client.waitFor((m) => m.command === '421', '421');
    expect(reply.raw).toBe(':tmi.twitch.tv 421 justinfan12345 WHO :Unknown command');
  });
});
