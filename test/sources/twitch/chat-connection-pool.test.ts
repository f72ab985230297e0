// The chat side against the fake Twitch IRC server, through ircv3's IrcClient: anonymous and
// authenticated logins, tagged lines becoming canonical events, pooling and join pacing,
// reconnects (dropped socket, silent server, Twitch's RECONNECT, refused login), duplicates,
// malformed lines and the chat metrics. The fake listens on an ephemeral port.
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/events/schema.ts';
import { ChatConnectionPool } from '../../../src/sources/twitch/chat-connection-pool.ts';
import type { ChatPoolOptions } from '../../../src/sources/twitch/chat-options.ts';
import { TwitchMetrics } from '../../../src/sources/twitch/twitch-metrics.ts';
import { FakeIrcServer } from '../../support/fake-twitch/fake-irc-server.ts';
import { fakeUserId } from '../../support/fake-twitch/fake-ids.ts';
import { CollectingPublisher, ManualTime } from './chat-test-kit.ts';
import { metricValue, START } from './twitch-test-kit.ts';

const FAST_BACKOFF = { initialMs: 20, maxMs: 100 };

let fake: FakeIrcServer;
/** The fake's clock; the pacing test points it at its manual time. */
let serverClock: () => number = () => START;
const pools: ChatConnectionPool[] = [];

beforeAll(async () => {
  fake = await FakeIrcServer.start({ clock: () => serverClock() });
});

afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.stop();
  serverClock = () => START;
});

afterAll(async () => {
  await fake.close();
});

interface Rig {
  fake: FakeIrcServer;
  pool: ChatConnectionPool;
  publisher: CollectingPublisher;
  registry: Registry;
  time: ManualTime;
}

/** A pool on the fake. */
function rig(options: Partial<ChatPoolOptions> = {}): Rig {
  const time = new ManualTime();
  const publisher = new CollectingPublisher();
  const registry = new Registry();
  const pool = new ChatConnectionPool({
    publisher,
    host: fake.host,
    port: fake.port,
    clock: time.clock,
    backoff: FAST_BACKOFF,
    metrics: new TwitchMetrics(registry),
    ...options,
  });
  pools.push(pool);
  return { fake, pool, publisher, registry, time };
}

function isChat(id: string | undefined): (event: StreamEvent) => boolean {
  return (event) => event.type === 'chat' && event.id === id;
}

/** Twitch answers a JOIN with the room's full ROOMSTATE, which the pool publishes. */
async function joined(publisher: CollectingPublisher, channel: string, times = 1): Promise<void> {
  const roomId = fakeUserId(channel);
  await publisher.waitFor(
    () =>
      publisher.events.filter(
        (e) => e.type === 'moderation' && e.kind === 'roomstate' && e.channel_id === roomId,
      ).length >= times || undefined,
    `the pool to join #${channel}${times > 1 ? ` (${times} times)` : ''}`,
  );
}

describe('ChatConnectionPool on the fake Twitch IRC server', () => {
  it('joins anonymously and publishes a tagged PRIVMSG as the exact canonical ChatMessage', async () => {
    const { fake, pool, publisher, registry } = rig();
    pool.update(['alpha']);
    await joined(publisher, 'alpha');
    const [client] = fake.clientsIn('alpha');
    expect(client?.anonymous).toBe(true);
    expect(client?.nick).toMatch(/^justinfan\d+$/);
    expect(await metricValue(registry, 'irc_joined_channels')).toBe(1);

    const text = '🔥🔥 Kappa that was close';
    const sent = fake.sendPrivmsg('alpha', {
      user: 'viewer',
      displayName: 'Viewer',
      text,
      tmiSentTs: START - 250,
      badges: { subscriber: '6', bits: '100' },
      bits: 100,
      firstMsg: true,
      replyParent: { msgId: 'parent-msg', userLogin: 'alpha', body: 'hi' },
    });
    const event = await publisher.next(isChat(sent.id), 'the PRIVMSG');
    expect(event).toEqual({
      v: 1,
      type: 'chat',
      channel_id: fakeUserId('alpha'),
      ts: START - 250,
      id: sent.id,
      channel: 'alpha',
      user_id: fakeUserId('viewer'),
      user: 'viewer',
      display_name: 'Viewer',
      text,
      received_ts: START,
      // Twitch says 3-7 (code points); after two emoji that is 5-9 in UTF-16 units.
      emotes: [{ id: '25', name: 'Kappa', start: 5, end: 9 }],
      badges: { subscriber: '6', bits: '100' },
      bits: 100,
      first_msg: true,
      returning: false,
      mod: false,
      sub: true,
      vip: false,
      reply_to: 'parent-msg',
    });
    expect(await metricValue(registry, 'chat_messages_total')).toBe(1);
  });

  it('logs in as a user with credentials the server accepts: PASS oauth:<token>, NICK <login>', async () => {
    fake.addToken('accepted-token', 'Scout_Bot');
    const { pool, publisher, registry } = rig({
      credentials: () => Promise.resolve({ login: 'Scout_Bot', accessToken: 'accepted-token' }),
    });
    pool.update(['alpha2']);
    await joined(publisher, 'alpha2');
    const [client] = fake.clientsIn('alpha2');
    expect(client).toMatchObject({ anonymous: false, nick: 'scout_bot' });
    expect(client?.received.filter((line) => /^(PASS|NICK) /.test(line))).toEqual([
      'PASS oauth:accepted-token',
      'NICK scout_bot',
    ]);
    expect(client?.capabilities.sort()).toEqual(['twitch.tv/commands', 'twitch.tv/tags']);
    const sent = fake.sendPrivmsg('alpha2', { user: 'viewer', text: 'hello bot' });
    await publisher.next(isChat(sent.id), 'a message on the authenticated connection');
    // Twitch's short 004 and the GLOBALUSERSTATE / USERSTATE of a user are not rejected lines.
    expect(await metricValue(registry, 'irc_lines_rejected_total')).toBe(0);
  });

  it('reports a refused token, then logs in with the token the provider has after the refresh', async () => {
    fake.addToken('fresh-token', 'scout_bot');
    let token = 'stale-token';
    const asked: string[] = [];
    const { pool, publisher, registry } = rig({
      credentials: () => {
        asked.push(token);
        return Promise.resolve({ login: 'scout_bot', accessToken: token });
      },
      onAuthenticationFailed: () => (token = 'fresh-token'),
    });
    pool.update(['alpha3']);
    await joined(publisher, 'alpha3');
    expect(asked).toEqual(['stale-token', 'fresh-token']);
    const refused = fake.allClients.find((c) => c.received.includes('PASS oauth:stale-token'));
    expect(fake.disconnects).toContainEqual(
      expect.objectContaining({ clientId: refused?.id, reason: 'auth-failed' }),
    );
    expect(fake.clientsIn('alpha3')[0]).toMatchObject({ anonymous: false, nick: 'scout_bot' });
    expect(await metricValue(registry, 'irc_reconnects_total', { reason: 'auth-failed' })).toBe(1);
  });

  it('retries after the back-off when the credentials cannot be had', async () => {
    fake.addToken('late-token', 'scout_bot');
    let calls = 0;
    let refusals = 0;
    const { pool, publisher, registry } = rig({
      credentials: () => {
        calls += 1;
        return calls === 1
          ? Promise.reject(new Error('token store unreachable'))
          : Promise.resolve({ login: 'scout_bot', accessToken: 'late-token' });
      },
      onAuthenticationFailed: () => (refusals += 1),
    });
    pool.update(['alpha4']);
    await joined(publisher, 'alpha4');
    expect(calls).toBe(2);
    expect(refusals).toBe(0); // Twitch refused nothing
    expect(await metricValue(registry, 'irc_reconnects_total', { reason: 'auth-failed' })).toBe(1);
  });

  it('maps USERNOTICE sub and raid, CLEARCHAT, CLEARMSG and ROOMSTATE', async () => {
    const { fake, pool, publisher } = rig();
    pool.update(['bravo']);
    await joined(publisher, 'bravo');
    const roomId = fakeUserId('bravo');
    const sub = fake.sendUsernotice('bravo', { type: 'sub', user: 'fan' });
    const raid = fake.sendUsernotice('bravo', {
      type: 'raid',
      user: 'bigstreamer',
      viewerCount: 430,
    });
    fake.sendClearchat('bravo', { user: 'troll', banDuration: 600 });
    fake.sendClearmsg('bravo', { login: 'troll', targetMsgId: 'deleted-1', text: 'spam' });
    fake.sendRoomstate('bravo', { slow: 30 });
    fake.sendRoomstate('bravo', { emoteOnly: true, followersOnly: 10 });
    await publisher.waitFor(
      () => publisher.events.length >= 7 || undefined,
      'the notices and moderation events',
    );
    const events = publisher.events.slice(1).map((e) => ({ ...e }));
    expect(events).toEqual([
      expect.objectContaining({
        type: 'notice',
        kind: 'sub',
        id: sub.id,
        channel_id: roomId,
        user: 'fan',
      }),
      expect.objectContaining({
        type: 'notice',
        kind: 'raid',
        id: raid.id,
        viewers: 430,
        user: 'bigstreamer',
      }),
      {
        v: 1,
        type: 'moderation',
        kind: 'clearchat',
        channel_id: roomId,
        ts: START,
        user_id: fakeUserId('troll'),
        duration_s: 600,
      },
      // Twitch's CLEARMSG has an empty room-id: the pool knows the room from the JOIN.
      {
        v: 1,
        type: 'moderation',
        kind: 'clearmsg',
        channel_id: roomId,
        ts: START,
        target_message_id: 'deleted-1',
      },
      { v: 1, type: 'moderation', kind: 'roomstate', channel_id: roomId, ts: START, slow_s: 30 },
      {
        v: 1,
        type: 'moderation',
        kind: 'roomstate',
        channel_id: roomId,
        ts: START,
        emote_only: true,
        followers_only_min: 10,
      },
    ]);
  });

  it('pools 200 channels over 3 connections of 90 and paces joins under the fake limit', async () => {
    const time = new ManualTime();
    // One clock for both sides: the fake counts its 20 joins per 10 s on the pool's time.
    serverClock = time.clock;
    const { fake, pool, publisher, registry } = rig({ clock: time.clock, timers: time });
    const channels = Array.from({ length: 200 }, (_, i) => `pool${String(i).padStart(3, '0')}`);
    pool.update(channels);
    expect(pool.connectionCount).toBe(3);
    const ours = (): typeof fake.clients =>
      fake.clients.filter((c) => c.channels.some((ch) => ch.startsWith('#pool')));
    const joinedOnFake = (): number => ours().reduce((sum, c) => sum + c.channels.length, 0);
    // 20 per connection per window: 60, then 100 (the third connection has only 20), ... 200.
    for (const expected of [60, 100, 140, 180, 200]) {
      await fake.waitFor(() => joinedOnFake() === expected, `${expected} channels joined`);
      expect(joinedOnFake()).toBe(expected); // nothing beyond this window's tokens
      time.advance(11_000);
    }
    expect(
      ours()
        .map((c) => c.channels.length)
        .sort((a, b) => a - b),
    ).toEqual([20, 90, 90]);
    const ids = new Set(ours().map((c) => c.id));
    expect(fake.joinViolations.filter((v) => ids.has(v.clientId))).toEqual([]);
    // The pool hears of each join after the fake made it; the JOIN's ROOMSTATE is published.
    await publisher.waitFor(
      () => pool.joinedCount === 200 || undefined,
      'the pool to see 200 joins',
    );
    expect(await metricValue(registry, 'irc_joined_channels')).toBe(200);

    pool.update([], channels.slice(180));
    await fake.waitFor(() => joinedOnFake() === 180, 'the pool to leave 20 channels');
    expect(pool.connectionCount).toBe(2); // the emptied connection is closed
    expect(await metricValue(registry, 'irc_joined_channels')).toBe(180);
  });

  it('reconnects after the server drops the connection and rejoins its channels', async () => {
    const { fake, pool, publisher, registry } = rig();
    pool.setChannels(['charlie', 'delta']);
    await joined(publisher, 'charlie');
    await joined(publisher, 'delta');
    const before = fake.clientsIn('charlie')[0]?.id;
    fake.dropConnections();
    await joined(publisher, 'charlie', 2);
    await joined(publisher, 'delta', 2);
    expect(fake.clientsIn('delta')[0]?.id).not.toBe(before);
    const sent = fake.sendPrivmsg('delta', { user: 'viewer', text: 'back again' });
    await publisher.next(isChat(sent.id), 'a message after the reconnect');
    expect(await metricValue(registry, 'irc_reconnects_total', { reason: 'dropped' })).toBe(1);
    expect(pool.joinedCount).toBe(2);
    // The old client's own redial was closed: nothing else is logged in.
    expect(fake.clients.filter((c) => c.registered).map((c) => c.id)).toEqual([
      fake.clientsIn('delta')[0]?.id,
    ]);
  });

  it('gives up a connection whose server went silent (half-open) and rejoins on a fresh one', async () => {
    const { fake, pool, publisher, registry } = rig({
      liveness: { pingAfterSilenceMs: 100, pongTimeoutMs: 100 },
    });
    pool.update(['kilo']);
    await joined(publisher, 'kilo');
    const before = fake.clientsIn('kilo')[0]?.id;
    expect(fake.freezeConnections()).toBe(1);
    await joined(publisher, 'kilo', 2);
    const [after] = fake.clientsIn('kilo').map((c) => c.id);
    expect(after).not.toBe(before);
    expect(fake.clients.filter((c) => c.registered).map((c) => c.id)).toEqual([after]);
    expect(await metricValue(registry, 'irc_reconnects_total', { reason: 'dropped' })).toBe(1);
  });

  it("reconnects on Twitch's RECONNECT by itself and rejoins its channels", async () => {
    const { fake, pool, publisher, registry } = rig();
    pool.update(['echo']);
    await joined(publisher, 'echo');
    const before = fake.clientsIn('echo')[0]?.id ?? -1;
    // No closeAfterMs: the server keeps the old connection open; the pool must move on its own.
    fake.sendReconnect();
    await joined(publisher, 'echo', 2);
    await fake.waitFor(
      () => fake.disconnects.some((d) => d.clientId === before && d.reason === 'client-closed'),
      'the pool to close the old connection',
    );
    expect(fake.clientsIn('echo').map((c) => c.id)).not.toContain(before);
    const sent = fake.sendPrivmsg('echo', { user: 'viewer', text: 'still here' });
    await publisher.next(isChat(sent.id), 'a message after RECONNECT');
    expect(
      await metricValue(registry, 'irc_reconnects_total', { reason: 'reconnect-requested' }),
    ).toBe(1);
  });

  it('publishes a message id delivered twice once', async () => {
    const { fake, pool, publisher, registry } = rig();
    pool.update(['foxtrot']);
    await joined(publisher, 'foxtrot');
    const first = fake.sendPrivmsg('foxtrot', { user: 'viewer', text: 'once', id: 'dup-1' });
    fake.sendPrivmsg('foxtrot', { user: 'viewer', text: 'once', id: 'dup-1' });
    const after = fake.sendPrivmsg('foxtrot', { user: 'viewer', text: 'next' });
    await publisher.next(isChat(after.id), 'the message after the duplicate');
    expect(publisher.events.filter(isChat(first.id))).toHaveLength(1);
    expect(await metricValue(registry, 'chat_messages_total')).toBe(2);
  });

  it('counts and skips malformed lines and keeps reading', async () => {
    const { fake, pool, publisher, registry } = rig();
    pool.update(['golf']);
    await joined(publisher, 'golf');
    fake.sendRaw('@only-tags=1', { channel: 'golf' }); // no command: ircv3's parser refuses it
    fake.sendPrivmsg('golf', { user: 'viewer', text: 'no id', tags: { id: undefined } });
    fake.sendPrivmsg('golf', { user: 'viewer', text: 'bad emote', emotes: '25:40-44' });
    const good = fake.sendPrivmsg('golf', { user: 'viewer', text: 'fine' });
    await publisher.next(isChat(good.id), 'the good message after the bad lines');
    expect(await metricValue(registry, 'irc_lines_rejected_total', { reason: 'unparseable' })).toBe(
      1,
    );
    expect(
      await metricValue(registry, 'irc_lines_rejected_total', { reason: 'missing-field' }),
    ).toBe(1);
    expect(await metricValue(registry, 'irc_lines_rejected_total', { reason: 'bad-field' })).toBe(
      1,
    );
    expect(publisher.events.filter((e) => e.type === 'chat')).toHaveLength(1);
    expect(fake.clientsIn('golf')).toHaveLength(1);
  });

  it('reports chat_messages_total and chat_message_rate over the last 10 s', async () => {
    const { fake, pool, publisher, registry, time } = rig();
    pool.update(['hotel']);
    await joined(publisher, 'hotel');
    let last;
    for (let i = 0; i < 25; i++)
      last = fake.sendPrivmsg('hotel', { user: `v${i}`, text: `hi ${i}` });
    await publisher.next(isChat(last?.id), 'the 25th message');
    expect(await metricValue(registry, 'chat_messages_total')).toBe(25);
    expect(await metricValue(registry, 'chat_message_rate')).toBe(2.5);
    time.advance(10_000);
    expect(await metricValue(registry, 'chat_message_rate')).toBe(0);
    expect(await metricValue(registry, 'chat_messages_total')).toBe(25);
  });
});
