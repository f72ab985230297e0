// The lines the fake chat server builds: Twitch's tag sets, IRCv3 escaping, emote positions in
// code points, USERNOTICE / CLEARCHAT / CLEARMSG / ROOMSTATE, and raw (malformed) lines.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findEmotes, formatEmotes } from '../support/fake-twitch/chat-lines.ts';
import { FakeIrcServer } from '../support/fake-twitch/fake-irc-server.ts';
import {
  escapeTagValue,
  parseIrcLine,
  unescapeTagValue,
  type IrcMessage,
} from '../support/fake-twitch/irc-protocol.ts';
import { RawIrcClient } from '../support/fake-twitch/raw-irc-client.ts';

let server: FakeIrcServer;
let client: RawIrcClient;
let from = 0;

beforeAll(async () => {
  server = await FakeIrcServer.start({
    clock: () => 1_700_000_000_123,
    roomIds: { alpha: '1001' },
  });
  client = await RawIrcClient.login(server.port);
  client.send('JOIN #alpha');
  await client.waitFor((m) => m.command === 'ROOMSTATE', 'ROOMSTATE');
});

afterAll(async () => {
  client.close();
  await server.close();
});

beforeEach(() => {
  from = client.mark();
});

function next(command: string): Promise<IrcMessage> {
  return client.waitFor((m) => m.command === command, command, { from });
}

describe('fake Twitch IRC: tag escaping', () => {
  it('round-trips every escaped character', () => {
    const nasty = 'a b;c\\d\re\nf\\s;; \\:end\\';
    const escaped = escapeTagValue(nasty);
    expect(escaped).not.toMatch(/[ ;\r\n]/);
    expect(escaped).toBe('a\\sb\\:c\\\\d\\re\\nf\\\\s\\:\\:\\s\\\\:end\\\\');
    expect(unescapeTagValue(escaped)).toBe(nasty);
  });

  it('unescapes as the IRCv3 spec says: unknown escapes drop the backslash, a lone trailing one vanishes', () => {
    expect(unescapeTagValue('a\\bc\\')).toBe('abc');
  });

  it('carries spaces, semicolons and backslashes in tag values over the wire', async () => {
    const displayName = 'Odd; Name\\ ';
    server.sendPrivmsg('alpha', { user: 'odd', displayName, text: 'hi', color: '#00FF00' });
    const message = await next('PRIVMSG');
    expect(message.rawTags.get('display-name')).toBe('Odd\\:\\sName\\\\\\s');
    expect(message.tags.get('display-name')).toBe(displayName);
    expect(message.tags.get('color')).toBe('#00FF00');
  });
});

describe('fake Twitch IRC: PRIVMSG', () => {
  it('builds the full Twitch tag set in alphabetical order', async () => {
    const sent = server.sendPrivmsg('alpha', {
      user: 'viewer',
      displayName: 'Viewer',
      userId: '555',
      id: '885196de-cb67-427a-baa8-82f9b0fcd05f',
      badges: { subscriber: '12', premium: '1' },
      badgeInfo: { subscriber: '14' },
      text: 'Kappa Keepo Kappa',
    });
    expect(sent.line).toBe(
      '@badge-info=subscriber/14;badges=subscriber/12,premium/1;color=;display-name=Viewer;' +
        'emotes=25:0-4,12-16/1902:6-10;first-msg=0;flags=;id=885196de-cb67-427a-baa8-82f9b0fcd05f;' +
        'mod=0;returning-chatter=0;room-id=1001;subscriber=1;tmi-sent-ts=1700000000123;turbo=0;' +
        'user-id=555;user-type= :viewer!viewer@viewer.tmi.twitch.tv PRIVMSG #alpha :Kappa Keepo Kappa',
    );
    expect(sent.id).toBe('885196de-cb67-427a-baa8-82f9b0fcd05f');
    const message = await next('PRIVMSG');
    expect(message.raw).toBe(sent.line);
    expect(message.params).toEqual(['#alpha', 'Kappa Keepo Kappa']);
  });

  it('gives every message a fresh UUID id by default', async () => {
    const a = server.sendPrivmsg('alpha', { user: 'v', text: 'a' });
    const b = server.sendPrivmsg('alpha', { user: 'v', text: 'b' });
    await client.waitForCount((m) => m.command === 'PRIVMSG', 2, 'PRIVMSGs', { from });
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.id).not.toBe(b.id);
  });

  it('counts emote positions in code points, as Twitch does', async () => {
    const text = '😀👍 Kappa hi LUL';
    server.sendPrivmsg('alpha', { user: 'v', text });
    const message = await next('PRIVMSG');
    expect(message.tags.get('emotes')).toBe('25:3-7/425618:12-14');
    const points = Array.from(message.params[1] ?? '');
    expect(points.slice(3, 8).join('')).toBe('Kappa');
    expect(points.slice(12, 15).join('')).toBe('LUL');
    // UTF-16 indices would be off by the two surrogate pairs.
    expect(text.indexOf('Kappa')).toBe(5);
  });

  it('finds and formats emotes with custom ids', () => {
    const spans = findEmotes('pog POG pog', { pog: '1', POG: '2' });
    expect(formatEmotes(spans)).toBe('1:0-2,8-10/2:4-6');
  });

  it('sets flags from the badges and adds bits, vip, reply and first-msg tags', async () => {
    server.sendPrivmsg('alpha', {
      user: 'modder',
      badges: { moderator: '1', vip: '1' },
      text: '@parent Cheer100 nice',
      bits: 100,
      firstMsg: true,
      returningChatter: true,
      replyParent: { msgId: 'p-1', userLogin: 'parent', body: 'is this live?' },
    });
    const { tags } = await next('PRIVMSG');
    expect(Object.fromEntries(tags)).toMatchObject({
      badges: 'moderator/1,vip/1',
      mod: '1',
      vip: '1',
      subscriber: '0',
      bits: '100',
      'first-msg': '1',
      'returning-chatter': '1',
      'reply-parent-msg-id': 'p-1',
      'reply-parent-user-login': 'parent',
      'reply-parent-display-name': 'parent',
      'reply-parent-msg-body': 'is this live?',
      'reply-thread-parent-msg-id': 'p-1',
      'reply-thread-parent-user-login': 'parent',
    });
    expect(tags.get('reply-parent-user-id')).toMatch(/^\d{8,9}$/);
  });

  it('wraps /me in CTCP ACTION and lets tags be overridden or removed', async () => {
    server.sendPrivmsg('alpha', {
      user: 'v',
      text: 'waves Kappa',
      action: true,
      tags: { 'returning-chatter': undefined, 'custom-reward-id': 'abc' },
    });
    const message = await next('PRIVMSG');
    expect(message.params[1]).toBe('\x01ACTION waves Kappa\x01');
    expect(message.tags.get('emotes')).toBe('25:6-10');
    expect(message.tags.has('returning-chatter')).toBe(false);
    expect(message.tags.get('custom-reward-id')).toBe('abc');
  });

  it('refuses a text that would break the line', () => {
    expect(() => server.sendPrivmsg('alpha', { user: 'v', text: 'a\r\nQUIT' })).toThrow(/CR, LF/);
  });
});

describe('fake Twitch IRC: USERNOTICE, CLEARCHAT, CLEARMSG, ROOMSTATE', () => {
  it('sends a sub with msg-param tags and an escaped system-msg', async () => {
    server.sendUsernotice('alpha', {
      type: 'sub',
      user: 'newsub',
      displayName: 'NewSub',
      id: 'n-1',
    });
    const message = await next('USERNOTICE');
    expect(message.rawTags.get('system-msg')).toBe('NewSub\\ssubscribed\\sat\\sTier\\s1.');
    expect(message.prefix).toBe('tmi.twitch.tv');
    expect(message.params).toEqual(['#alpha']);
    expect(Object.fromEntries(message.tags)).toMatchObject({
      'msg-id': 'sub',
      login: 'newsub',
      'msg-param-cumulative-months': '1',
      'msg-param-sub-plan': '1000',
      'msg-param-sub-plan-name': 'Channel Subscription (alpha)',
      'room-id': '1001',
      id: 'n-1',
      'tmi-sent-ts': '1700000000123',
    });
  });

  it('sends a resub with a streak and the chatter message', async () => {
    server.sendUsernotice('alpha', {
      type: 'resub',
      user: 'loyal',
      cumulativeMonths: 14,
      streakMonths: 3,
      plan: '2000',
      text: 'still here Kappa',
    });
    const message = await next('USERNOTICE');
    expect(message.params).toEqual(['#alpha', 'still here Kappa']);
    expect(Object.fromEntries(message.tags)).toMatchObject({
      'msg-id': 'resub',
      'msg-param-cumulative-months': '14',
      'msg-param-streak-months': '3',
      'msg-param-should-share-streak': '1',
      'msg-param-sub-plan': '2000',
      emotes: '25:11-15',
      'system-msg':
        "loyal subscribed at Tier 2. They've subscribed for 14 months, currently on a 3 month streak!",
    });
  });

  it('sends a subgift, an anonymous one and a raid', async () => {
    server.sendUsernotice('alpha', {
      type: 'subgift',
      user: 'gifter',
      recipient: 'lucky',
      senderCount: 5,
    });
    server.sendUsernotice('alpha', {
      type: 'subgift',
      user: 'ignored',
      recipient: 'lucky',
      anonymous: true,
    });
    server.sendUsernotice('alpha', {
      type: 'raid',
      user: 'bigstreamer',
      displayName: 'BigStreamer',
      viewerCount: 430,
    });
    const notices = await client.waitForCount((m) => m.command === 'USERNOTICE', 3, 'USERNOTICEs', {
      from,
    });
    const [gift, anon, raid] = notices.map((m) => Object.fromEntries(m.tags));
    expect(gift).toMatchObject({
      'msg-id': 'subgift',
      'msg-param-recipient-user-name': 'lucky',
      'msg-param-sender-count': '5',
      'system-msg': 'gifter gifted a Tier 1 sub to lucky!',
    });
    expect(anon).toMatchObject({ login: 'ananonymousgifter', 'display-name': 'AnAnonymousGifter' });
    expect(raid).toMatchObject({
      'msg-id': 'raid',
      'msg-param-login': 'bigstreamer',
      'msg-param-displayName': 'BigStreamer',
      'msg-param-viewerCount': '430',
      'system-msg': '430 raiders from BigStreamer have joined!',
    });
  });

  it('sends timeouts, bans and chat clears', async () => {
    server.sendClearchat('alpha', { user: 'troll', userId: '77', banDuration: 600 });
    server.sendClearchat('alpha', { user: 'troll', userId: '77' });
    server.sendClearchat('alpha');
    const lines = await client.waitForCount((m) => m.command === 'CLEARCHAT', 3, 'CLEARCHATs', {
      from,
    });
    expect(lines.map((m) => m.raw)).toEqual([
      '@ban-duration=600;room-id=1001;target-user-id=77;tmi-sent-ts=1700000000123 :tmi.twitch.tv CLEARCHAT #alpha :troll',
      '@room-id=1001;target-user-id=77;tmi-sent-ts=1700000000123 :tmi.twitch.tv CLEARCHAT #alpha :troll',
      '@room-id=1001;tmi-sent-ts=1700000000123 :tmi.twitch.tv CLEARCHAT #alpha',
    ]);
  });

  it('sends CLEARMSG with the deleted message id and Twitch empty room-id', async () => {
    server.sendClearmsg('alpha', { login: 'troll', targetMsgId: 'abc-123', text: 'bad words' });
    const message = await next('CLEARMSG');
    expect(message.raw).toBe(
      '@login=troll;room-id=;target-msg-id=abc-123;tmi-sent-ts=1700000000123 :tmi.twitch.tv CLEARMSG #alpha :bad words',
    );
  });

  it('announces only changed room modes, and later joins get the full state', async () => {
    server.sendRoomstate('alpha', { slow: 30, emoteOnly: true });
    const update = await next('ROOMSTATE');
    expect(update.raw).toBe('@emote-only=1;room-id=1001;slow=30 :tmi.twitch.tv ROOMSTATE #alpha');
    const other = await RawIrcClient.login(server.port, { nick: 'justinfan2' });
    other.send('JOIN #alpha');
    const full = await other.waitFor((m) => m.command === 'ROOMSTATE', 'ROOMSTATE');
    other.close();
    await server.waitFor(() => server.connectionCount === 1, 'the second client to leave');
    expect(full.raw).toBe(
      '@emote-only=1;followers-only=-1;r9k=0;room-id=1001;slow=30;subs-only=0 :tmi.twitch.tv ROOMSTATE #alpha',
    );
  });

  it('sends raw lines verbatim, malformed ones included', async () => {
    const bad = '@badges=;;=oops :broken PRIVMSG';
    expect(server.sendRaw(bad, { channel: 'alpha' }).delivered).toBe(1);
    expect(server.sendRaw('@only-tags').delivered).toBe(1);
    await client.waitUntil(() => client.lines.includes('@only-tags'), 'raw lines');
    expect(client.lines.slice(from)).toEqual([bad, '@only-tags']);
    expect(parseIrcLine('@only-tags')).toBeUndefined();
  });
});
