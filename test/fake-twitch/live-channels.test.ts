// The self-chatting fake channels behind serve.ts: deterministic for a seed, published to Helix,
// delivered over IRC to whoever joined.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHelixServer } from '../support/fake-twitch/fake-helix-server.ts';
import { FakeIrcServer } from '../support/fake-twitch/fake-irc-server.ts';
import { FakeLiveChannels } from '../support/fake-twitch/live-channels.ts';
import { RawIrcClient } from '../support/fake-twitch/raw-irc-client.ts';

let irc: FakeIrcServer;
let helix: FakeHelixServer;

beforeAll(async () => {
  irc = await FakeIrcServer.start({ clock: () => 1_700_000_000_000 });
  helix = await FakeHelixServer.start();
});

afterAll(async () => {
  await irc.close();
  await helix.close();
});

describe('fake live channels', () => {
  it('publishes its channels as live streams whose room ids match the chat', async () => {
    const live = new FakeLiveChannels({ irc, helix, seed: 7 });
    expect(helix.streams.map((s) => s.user_login)).toEqual(live.channels);
    const first = helix.streams[0];
    expect(first?.user_id).toBe(irc.roomId(first?.user_login ?? ''));
  });

  /** One channel at 4 messages/s. */
  const BUSY = {
    login: 'busy',
    gameName: 'Just Chatting',
    title: 't',
    viewers: 10,
    language: 'en',
    rate: 4,
  };

  it('chats a few messages per second per channel, with bursts, to joined clients', async () => {
    const live = new FakeLiveChannels({
      irc,
      channels: [BUSY],
      seed: 3,
      burstChancePerSecond: 0,
    });
    const client = await RawIrcClient.login(irc.port);
    client.send('JOIN #busy');
    await client.waitFor((m) => m.command === 'ROOMSTATE', 'ROOMSTATE');
    expect(live.tick(10_000)).toBe(40);
    const messages = await client.waitForCount((m) => m.command === 'PRIVMSG', 40, 'PRIVMSGs');
    client.close();
    expect(messages.every((m) => m.params[0] === '#busy' && m.tags.has('id'))).toBe(true);
    const bursty = new FakeLiveChannels({
      irc,
      channels: [BUSY],
      seed: 3,
      burstChancePerSecond: 10,
    });
    expect(bursty.tick(1000)).toBe(32);
  });

  it('replays the same chat for the same seed', () => {
    const run = (): string[] => {
      const recorded: string[] = [];
      const recorder = {
        sendPrivmsg: (_channel: string, message: { user: string; text: string }) => {
          recorded.push(`${message.user}: ${message.text}`);
          return { line: '', delivered: 0 };
        },
        sendUsernotice: () => ({ line: '', delivered: 0 }),
        sendClearchat: () => ({ line: '', delivered: 0 }),
        sendClearmsg: () => ({ line: '', delivered: 0 }),
      } as unknown as FakeIrcServer;
      new FakeLiveChannels({ irc: recorder, seed: 11 }).tick(5000);
      return recorded;
    };
    const a = run();
    expect(a.length).toBeGreaterThan(50);
    expect(run()).toEqual(a);
  });
});
