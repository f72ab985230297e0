// The pure mapping from Twitch's tagged IRC lines to canonical events, on lines built by the
// fake server's own builders (Twitch's tag sets) and parsed by its IRC parser.
import { describe, expect, it } from 'vitest';
import { ChatMessageSchema } from '../../../src/events/schema.ts';
import {
  ircLineToEvent,
  type IrcLine,
  type LineOutcome,
} from '../../../src/sources/twitch/irc-tags-to-events.ts';
import {
  buildClearchatLine,
  buildClearmsgLine,
  buildPrivmsgLine,
  buildRoomstateLine,
  buildUsernoticeLine,
} from '../../support/fake-twitch/chat-lines.ts';
import { parseIrcLine, prefixNick } from '../../support/fake-twitch/irc-protocol.ts';

const ROOM = { roomId: '4321', now: 1_700_000_000_123 };
const RECEIVED = 1_700_000_000_456;
const MSG_ID = '6a0d4d2c-5b53-4f5e-8d7c-7b5e0b1c2d3e';

function line(raw: string): IrcLine {
  const parsed = parseIrcLine(raw);
  if (parsed === undefined) throw new Error(`unparseable test line: ${raw}`);
  return {
    command: parsed.command,
    params: parsed.params,
    tags: parsed.tags,
    prefixNick: parsed.prefix === '' ? undefined : prefixNick(parsed.prefix),
  };
}

function map(raw: string, roomIds: Record<string, string> = {}): LineOutcome {
  return ircLineToEvent(line(raw), { receivedTs: RECEIVED, roomIdOf: (c) => roomIds[c] });
}

function event(raw: string, roomIds: Record<string, string> = {}): unknown {
  const outcome = map(raw, roomIds);
  if (outcome.kind !== 'event')
    throw new Error(`expected an event, got ${JSON.stringify(outcome)}`);
  return outcome.event;
}

describe('PRIVMSG -> chat', () => {
  it('maps every tag, converting emote positions from code points to UTF-16 indices', () => {
    // 🎉 is one code point but two UTF-16 units: Twitch says Kappa is at 2-6, JavaScript at 3-7.
    const text = '🎉 Kappa hi 😀 Keepo';
    const { line: raw } = buildPrivmsgLine(
      'fakechan',
      {
        user: 'viewer',
        displayName: 'Viewer',
        id: MSG_ID,
        text,
        badges: { subscriber: '12', vip: '1' },
        badgeInfo: { subscriber: '14' },
        bits: 100,
        firstMsg: true,
        returningChatter: true,
        replyParent: { msgId: 'parent-1', userLogin: 'other', body: 'hello' },
      },
      ROOM,
    );
    expect(raw).toContain('emotes=25:2-6/1902:13-17');
    expect(event(raw)).toEqual({
      v: 1,
      type: 'chat',
      channel_id: '4321',
      ts: ROOM.now,
      id: MSG_ID,
      channel: 'fakechan',
      user_id: expect.stringMatching(/^\d+$/),
      user: 'viewer',
      display_name: 'Viewer',
      text,
      received_ts: RECEIVED,
      emotes: [
        { id: '25', name: 'Kappa', start: 3, end: 7 },
        { id: '1902', name: 'Keepo', start: 15, end: 19 },
      ],
      badges: { subscriber: '12', vip: '1' },
      bits: 100,
      first_msg: true,
      returning: true,
      mod: false,
      sub: true,
      vip: true,
      reply_to: 'parent-1',
    });
    const chat = ChatMessageSchema.parse(event(raw));
    for (const emote of chat.emotes) {
      expect(chat.text.slice(emote.start, emote.end + 1)).toBe(emote.name);
    }
  });

  it('reads /me actions as the typed text and moderators from the mod tag', () => {
    const { line: raw } = buildPrivmsgLine(
      'fakechan',
      { user: 'modder', text: 'waves Kappa', action: true, badges: { moderator: '1' } },
      ROOM,
    );
    expect(event(raw)).toMatchObject({
      text: 'waves Kappa',
      mod: true,
      sub: false,
      vip: false,
      emotes: [{ id: '25', name: 'Kappa', start: 6, end: 10 }],
    });
  });

  it('counts lines it cannot map, with a reason, instead of throwing', () => {
    const noId = buildPrivmsgLine('c', { user: 'u', text: 'hi', tags: { id: undefined } }, ROOM);
    expect(map(noId.line)).toEqual({
      kind: 'malformed',
      reason: 'missing-field',
      detail: 'PRIVMSG: no id tag',
    });
    const badEmotes = buildPrivmsgLine('c', { user: 'u', text: 'hi', emotes: '25:0-9' }, ROOM);
    expect(map(badEmotes.line)).toMatchObject({ kind: 'malformed', reason: 'bad-field' });
    const badTs = buildPrivmsgLine(
      'c',
      { user: 'u', text: 'hi', tags: { 'tmi-sent-ts': 'soon' } },
      ROOM,
    );
    expect(map(badTs.line)).toMatchObject({ kind: 'malformed', reason: 'bad-field' });
    expect(map('@id=x;room-id=1;user-id=2 :u!u@u.tmi.twitch.tv PRIVMSG #c')).toMatchObject({
      kind: 'malformed',
      reason: 'missing-field',
    });
    const tooLong = buildPrivmsgLine('c', { user: 'u', text: 'x'.repeat(2001) }, ROOM);
    expect(map(tooLong.line)).toMatchObject({ kind: 'malformed', reason: 'invalid-event' });
  });

  it('ignores commands that carry no event', () => {
    expect(map(':tmi.twitch.tv 001 justinfan1 :Welcome, GLHF!')).toEqual({ kind: 'ignored' });
    expect(map('@msg-id=x :tmi.twitch.tv NOTICE #c :hi')).toEqual({ kind: 'ignored' });
  });
});

describe('USERNOTICE -> notice', () => {
  it('maps sub, resub, subgift, submysterygift, raid and others', () => {
    const sub = buildUsernoticeLine('fakechan', { type: 'sub', user: 'fan', id: 'n1' }, ROOM);
    expect(event(sub.line)).toEqual({
      v: 1,
      type: 'notice',
      channel_id: '4321',
      ts: ROOM.now,
      id: 'n1',
      kind: 'sub',
      channel: 'fakechan',
      user_id: expect.stringMatching(/^\d+$/),
      user: 'fan',
      text: 'fan subscribed at Tier 1.',
    });
    const resub = buildUsernoticeLine(
      'fakechan',
      { type: 'resub', user: 'fan', cumulativeMonths: 7, text: 'still here' },
      ROOM,
    );
    expect(event(resub.line)).toMatchObject({ kind: 'resub', count: 7 });
    const gift = buildUsernoticeLine(
      'fakechan',
      { type: 'subgift', user: 'santa', recipient: 'lucky' },
      ROOM,
    );
    expect(event(gift.line)).toMatchObject({ kind: 'subgift', count: 1, user: 'santa' });
    const mystery = buildUsernoticeLine(
      'fakechan',
      {
        type: 'custom',
        msgId: 'submysterygift',
        user: 'santa',
        params: { 'mass-gift-count': '5' },
        systemMsg: 'santa is gifting 5 Tier 1 Subs!',
      },
      ROOM,
    );
    expect(event(mystery.line)).toMatchObject({ kind: 'submysterygift', count: 5 });
    const raid = buildUsernoticeLine(
      'fakechan',
      { type: 'raid', user: 'bigstreamer', viewerCount: 430 },
      ROOM,
    );
    expect(event(raid.line)).toMatchObject({
      kind: 'raid',
      viewers: 430,
      user: 'bigstreamer',
      text: '430 raiders from bigstreamer have joined!',
    });
    const other = buildUsernoticeLine(
      'fakechan',
      { type: 'custom', msgId: 'announcement', user: 'mod', systemMsg: '' },
      ROOM,
    );
    expect(event(other.line)).toMatchObject({ kind: 'other' });
  });

  it('refuses a raid without its viewer count', () => {
    const raid = buildUsernoticeLine(
      'fakechan',
      { type: 'raid', user: 'r', viewerCount: 1, tags: { 'msg-param-viewerCount': undefined } },
      ROOM,
    );
    expect(map(raid.line)).toMatchObject({ kind: 'malformed', reason: 'missing-field' });
  });
});

describe('CLEARCHAT / CLEARMSG / ROOMSTATE -> moderation', () => {
  it('maps a timeout, a ban and a whole-chat clear', () => {
    const timeout = buildClearchatLine(
      'fakechan',
      { user: 'troll', userId: '77', banDuration: 600 },
      ROOM,
    );
    expect(event(timeout.line)).toEqual({
      v: 1,
      type: 'moderation',
      channel_id: '4321',
      ts: ROOM.now,
      kind: 'clearchat',
      user_id: '77',
      duration_s: 600,
    });
    const ban = buildClearchatLine('fakechan', { user: 'troll', userId: '77' }, ROOM);
    expect(event(ban.line)).not.toHaveProperty('duration_s');
    const clear = buildClearchatLine('fakechan', {}, ROOM);
    expect(event(clear.line)).toEqual({
      v: 1,
      type: 'moderation',
      channel_id: '4321',
      ts: ROOM.now,
      kind: 'clearchat',
    });
  });

  it('takes CLEARMSG room ids from what the channel is known as (Twitch sends room-id empty)', () => {
    const clear = buildClearmsgLine(
      'fakechan',
      { login: 'u', targetMsgId: 'm1', text: 'bad' },
      ROOM,
    );
    expect(event(clear.line, { fakechan: '4321' })).toEqual({
      v: 1,
      type: 'moderation',
      channel_id: '4321',
      ts: ROOM.now,
      kind: 'clearmsg',
      target_message_id: 'm1',
    });
    expect(map(clear.line)).toMatchObject({ kind: 'malformed', reason: 'missing-field' });
  });

  it('maps full and partial ROOMSTATE, at the receive time', () => {
    const full = buildRoomstateLine(
      'fakechan',
      { emoteOnly: false, followersOnly: -1, r9k: false, slow: 0, subsOnly: false },
      ROOM,
    );
    expect(event(full.line)).toEqual({
      v: 1,
      type: 'moderation',
      channel_id: '4321',
      ts: RECEIVED,
      kind: 'roomstate',
      slow_s: 0,
      emote_only: false,
      followers_only_min: -1,
      subs_only: false,
    });
    const slow = buildRoomstateLine('fakechan', { slow: 30 }, ROOM);
    expect(event(slow.line)).toEqual({
      v: 1,
      type: 'moderation',
      channel_id: '4321',
      ts: RECEIVED,
      kind: 'roomstate',
      slow_s: 30,
    });
    const modes = buildRoomstateLine(
      'fakechan',
      { emoteOnly: true, followersOnly: 10, subsOnly: true },
      ROOM,
    );
    expect(event(modes.line)).toMatchObject({
      emote_only: true,
      followers_only_min: 10,
      subs_only: true,
    });
  });
});
