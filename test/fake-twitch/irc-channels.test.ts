// The fake chat server's channels: JOIN replies, delivery only to members, the join rate
// limit, PART, and what capabilities change in what a client receives.
import { describe, expect, it } from 'vitest';
import { ircTestSession } from '../support/fake-twitch/irc-test-session.ts';

const irc = ircTestSession();

describe('fake Twitch IRC: channels', () => {
  it('answers JOIN with the echo, NAMES and the full ROOMSTATE, in Twitch order', async () => {
    const fake = await irc.start({ roomIds: { alpha: '1001' } });
    const client = await irc.login(fake, { nick: 'justinfan99' });
    const from = client.mark();
    client.send('JOIN #alpha');
    await client.waitFor((m) => m.command === 'ROOMSTATE', 'ROOMSTATE', { from });
    expect(client.lines.slice(from)).toEqual([
      ':justinfan99!justinfan99@justinfan99.tmi.twitch.tv JOIN #alpha',
      ':justinfan99.tmi.twitch.tv 353 justinfan99 = #alpha :justinfan99',
      ':justinfan99.tmi.twitch.tv 366 justinfan99 #alpha :End of /NAMES list',
      '@emote-only=0;followers-only=-1;r9k=0;room-id=1001;slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #alpha',
    ]);
    expect(fake.clients[0]?.channels).toEqual(['#alpha']);
  });

  it('sends USERSTATE before ROOMSTATE to an authenticated client', async () => {
    const fake = await irc.start({ tokens: { tok: 'scoutbot' } });
    const client = await irc.login(fake, { nick: 'scoutbot', pass: 'oauth:tok' });
    const from = client.mark();
    client.send('JOIN #alpha');
    await client.waitFor((m) => m.command === 'ROOMSTATE', 'ROOMSTATE', { from });
    expect(client.messages.slice(from).map((m) => m.command)).toEqual([
      'JOIN',
      '353',
      '366',
      'USERSTATE',
      'ROOMSTATE',
    ]);
  });

  it('joins every channel of a comma list and delivers a channel only to its members', async () => {
    const fake = await irc.start();
    const ab = await irc.login(fake, { nick: 'justinfan1' });
    const c = await irc.login(fake, { nick: 'justinfan2' });
    ab.send('JOIN #alpha,#Beta');
    c.send('JOIN #gamma');
    await fake.waitFor(
      () => fake.clientsIn('beta').length === 1 && fake.clientsIn('gamma').length === 1,
      'joins',
    );
    const beta = fake.sendPrivmsg('beta', { user: 'viewer1', text: 'hello beta' });
    const gamma = fake.sendPrivmsg('gamma', { user: 'viewer2', text: 'hello gamma' });
    expect(beta.delivered).toBe(1);
    expect(gamma.delivered).toBe(1);
    expect(fake.sendPrivmsg('nobody', { user: 'v', text: 'x' }).delivered).toBe(0);
    await ab.waitFor((m) => m.command === 'PRIVMSG', 'PRIVMSG');
    await c.waitFor((m) => m.command === 'PRIVMSG', 'PRIVMSG');
    expect(ab.messages.filter((m) => m.command === 'PRIVMSG').map((m) => m.params)).toEqual([
      ['#beta', 'hello beta'],
    ]);
    expect(c.messages.filter((m) => m.command === 'PRIVMSG').map((m) => m.params)).toEqual([
      ['#gamma', 'hello gamma'],
    ]);
    expect(fake.clients.find((x) => x.nick === 'justinfan1')?.channels).toEqual([
      '#alpha',
      '#beta',
    ]);
  });

  it('stops delivering after PART and echoes the PART', async () => {
    const fake = await irc.start();
    const client = await irc.login(fake);
    client.send('JOIN #alpha');
    await client.waitFor((m) => m.command === 'ROOMSTATE', 'ROOMSTATE');
    client.send('PART #alpha');
    const part = await client.waitFor((m) => m.command === 'PART', 'PART');
    expect(part.raw).toBe(
      ':justinfan12345!justinfan12345@justinfan12345.tmi.twitch.tv PART #alpha',
    );
    expect(fake.sendPrivmsg('alpha', { user: 'v', text: 'gone' }).delivered).toBe(0);
    expect(fake.clients[0]?.channels).toEqual([]);
  });

  it('silently drops joins beyond 20 per 10 s on a connection and records them', async () => {
    let now = 1_000_000;
    const fake = await irc.start({ clock: () => now });
    const client = await irc.login(fake);
    const channels = Array.from({ length: 25 }, (_, i) => `#chan${i}`);
    client.send(`JOIN ${channels.join(',')}`);
    await client.waitForCount((m) => m.command === 'ROOMSTATE', 20, 'ROOMSTATEs');
    // The line is handled in one go: by the 20th reply the 5 excess joins are recorded.
    expect(fake.joinViolations.map((v) => v.channel)).toEqual(channels.slice(20));
    const info = fake.clients[0];
    expect(info?.channels).toHaveLength(20);
    expect(info?.joins.map((j) => j.at)).toEqual(Array(20).fill(1_000_000));

    // Still inside the window: dropped again, and nothing is answered.
    now += 9_999;
    client.send('JOIN #late');
    await fake.waitFor(() => fake.joinViolations.length === 6, 'a sixth violation');
    // Once the window has passed, joins are accepted again.
    now += 1;
    const from = client.mark();
    client.send('JOIN #chan20');
    const echo = await client.waitFor((m) => m.command === 'JOIN', 'JOIN echo', { from });
    expect(echo.params).toEqual(['#chan20']);
    expect(client.lines.some((l) => l.includes('#late'))).toBe(false);
  });

  it('uses a configurable join limit', async () => {
    const fake = await irc.start({ joinRateLimit: { joins: 2, windowMs: 60_000 } });
    const client = await irc.login(fake);
    client.send('JOIN #a,#b,#c');
    await client.waitForCount((m) => m.command === 'ROOMSTATE', 2, 'ROOMSTATEs');
    expect(fake.joinViolations).toEqual([expect.objectContaining({ channel: '#c', clientId: 1 })]);
  });

  it('answers a JOIN of a suspended channel with msg_channel_suspended', async () => {
    const fake = await irc.start();
    fake.suspendChannel('banned');
    const client = await irc.login(fake);
    client.send('JOIN #banned');
    const notice = await client.waitFor((m) => m.command === 'NOTICE', 'NOTICE');
    expect(notice.raw).toBe(
      '@msg-id=msg_channel_suspended :tmi.twitch.tv NOTICE #banned :This channel does not exist or has been suspended.',
    );
    expect(fake.clients[0]?.channels).toEqual([]);
  });

  it('strips tags for a client without twitch.tv/tags and withholds commands without twitch.tv/commands', async () => {
    const fake = await irc.start();
    const bare = await irc.login(fake, { caps: [] });
    bare.send('JOIN #alpha');
    await bare.waitFor((m) => m.command === '366', 'end of NAMES');
    const sent = fake.sendPrivmsg('alpha', { user: 'viewer', text: 'plain' });
    expect(fake.sendClearchat('alpha').delivered).toBe(0);
    expect(
      fake.sendUsernotice('alpha', { type: 'raid', user: 'raider', viewerCount: 5 }).delivered,
    ).toBe(0);
    const line = await bare.waitFor((m) => m.command === 'PRIVMSG', 'PRIVMSG');
    expect(line.raw).toBe(':viewer!viewer@viewer.tmi.twitch.tv PRIVMSG #alpha :plain');
    expect(sent.line.startsWith('@')).toBe(true);
    expect(bare.messages.some((m) => m.command === 'ROOMSTATE')).toBe(false);
  });

  it('shows other chatters joining and leaving only with twitch.tv/membership', async () => {
    const fake = await irc.start();
    const member = await irc.login(fake, { nick: 'justinfan1' });
    const plain = await irc.login(fake, {
      nick: 'justinfan2',
      caps: ['twitch.tv/tags', 'twitch.tv/commands'],
    });
    member.send('JOIN #alpha');
    plain.send('JOIN #alpha');
    await fake.waitFor(() => fake.clientsIn('alpha').length === 2, 'two members');
    expect(fake.sendMembership('alpha', 'lurker', 'JOIN').delivered).toBe(1);
    const join = await member.waitFor(
      (m) => m.command === 'JOIN' && m.prefix.startsWith('lurker'),
      'JOIN',
    );
    expect(join.raw).toBe(':lurker!lurker@lurker.tmi.twitch.tv JOIN #alpha');
  });

  it('records what clients send and counts connections', async () => {
    const fake = await irc.start();
    const client = await irc.login(fake);
    client.send('JOIN #alpha');
    await client.waitFor((m) => m.command === 'ROOMSTATE', 'ROOMSTATE');
    expect(fake.clients[0]?.received).toEqual([
      'CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership',
      'NICK justinfan12345',
      'JOIN #alpha',
    ]);
    expect(fake.connectionCount).toBe(1);
    expect(fake.stats.connectionsAccepted).toBe(1);
    expect(fake.stats.linesReceived).toBe(3);
  });
});
