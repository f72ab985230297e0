// Proof that the fake speaks Twitch's dialect: @twurple/chat's own ChatClient connects to it
// anonymously (it always dials port 6667 with ssl:false, webSocket:false), joins, and parses a
// tagged PRIVMSG, a USERNOTICE and a CLEARCHAT, then comes back after the server closes it.
import { ChatClient, parseChatMessage, type ChatMessage } from '@twurple/chat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeIrcServer } from '../support/fake-twitch/fake-irc-server.ts';

const TWURPLE_PORT = 6667;
let server: FakeIrcServer | undefined;
let busyReason = '';
let chat: ChatClient | undefined;

beforeAll(async () => {
  try {
    // Another test file (or a running serve.ts) may hold 6667: queue behind it (the start-against-fake-Twitch test holds it for over a minute).
    server = await FakeIrcServer.start({
      port: TWURPLE_PORT,
      waitForPortMs: 300_000,
      roomIds: { fakechan: '4321' },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    busyReason = `port ${TWURPLE_PORT} is busy (ChatClient can only dial 6667 in plain TCP mode)`;
  }
}, 330_000);

afterAll(async () => {
  chat?.quit();
  await server?.close();
});

function nextEvent<T>(subscribe: (resolve: (value: T) => void) => { unbind(): void }): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ChatClient event did not come')), 5000);
    const listener = subscribe((value) => {
      clearTimeout(timer);
      listener.unbind();
      resolve(value);
    });
  });
}

describe('fake Twitch IRC with @twurple/chat', () => {
  it('lets ChatClient log in anonymously, join, and parse tagged lines', async (context) => {
    if (server === undefined) {
      context.skip(busyReason);
      return;
    }
    const fake = server;
    chat = new ChatClient({
      hostName: '127.0.0.1',
      ssl: false,
      webSocket: false,
      channels: ['fakechan'],
      logger: { minLevel: 'critical' },
    });
    const client = chat;
    const joined = nextEvent<string>((resolve) => client.onJoin((channel) => resolve(channel)));
    client.connect();
    expect(await joined).toBe('fakechan');
    const [info] = fake.clients;
    expect(info?.nick).toMatch(/^justinfan\d+$/);
    expect(info?.anonymous).toBe(true);
    expect(info?.capabilities.sort()).toEqual(['twitch.tv/commands', 'twitch.tv/tags']);

    const received = nextEvent<{ user: string; text: string; msg: ChatMessage }>((resolve) =>
      client.onMessage((_channel, user, text, msg) => resolve({ user, text, msg })),
    );
    const sent = fake.sendPrivmsg('fakechan', {
      user: 'viewer',
      displayName: 'Viewer; The\\Great',
      badges: { subscriber: '12' },
      badgeInfo: { subscriber: '14' },
      text: '🎉 Kappa hello',
      firstMsg: true,
      bits: 100,
    });
    const { user, text, msg } = await received;
    expect(user).toBe('viewer');
    expect(text).toBe('🎉 Kappa hello');
    expect(msg.id).toBe(sent.id);
    expect(msg.channelId).toBe('4321');
    expect(msg.userInfo.displayName).toBe('Viewer; The\\Great');
    expect(msg.userInfo.isSubscriber).toBe(true);
    expect(msg.userInfo.badges.get('subscriber')).toBe('12');
    expect(msg.isFirst).toBe(true);
    expect(msg.bits).toBe(100);
    expect(msg.date.getTime()).toBe(Number(msg.tags.get('tmi-sent-ts')));
    // twurple slices emotes by code point: the emote positions line up after the emoji.
    const parts = parseChatMessage(text, msg.emoteOffsets);
    expect(
      parts.filter((p) => p.type === 'emote').map((p) => (p.type === 'emote' ? p.name : '')),
    ).toEqual(['Kappa']);

    const raid = nextEvent<number>((resolve) =>
      client.onRaid((_channel, _user, raidInfo) => resolve(raidInfo.viewerCount)),
    );
    fake.sendUsernotice('fakechan', { type: 'raid', user: 'bigstreamer', viewerCount: 430 });
    expect(await raid).toBe(430);

    const timeout = nextEvent<[string, number]>((resolve) =>
      client.onTimeout((_channel, target, duration) => resolve([target, duration])),
    );
    fake.sendClearchat('fakechan', { user: 'troll', banDuration: 600 });
    expect(await timeout).toEqual(['troll', 600]);
  });

  // twurple 8.1.4 parses RECONNECT but does not act on it; it reconnects once the server closes
  // the connection, as Twitch does after the notice. The monitor should reconnect on RECONNECT.
  it('reconnects and rejoins when the server closes the connection after RECONNECT', async (context) => {
    if (server === undefined || chat === undefined) {
      context.skip(busyReason || 'the first test did not connect');
      return;
    }
    const fake = server;
    fake.sendReconnect({ closeAfterMs: 50 });
    await fake.waitFor(
      () => fake.stats.connectionsAccepted >= 2 && fake.clientsIn('fakechan').length === 1,
      'ChatClient to reconnect and rejoin',
      5000,
    );
    const rejoined = fake.clientsIn('fakechan')[0];
    expect(rejoined?.id).not.toBe(1);
  });
});
