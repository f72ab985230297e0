// Builders of the lines Twitch's chat server sends: PRIVMSG, USERNOTICE, CLEARCHAT, CLEARMSG,
// ROOMSTATE, USERSTATE and GLOBALUSERSTATE, with the tag sets Twitch attaches to each (in
// Twitch's alphabetical order) and the IRCv3 escaping of tag values. Pure functions: the fake
// server supplies the room id, the clock and the message id.
import { randomUUID } from 'node:crypto';
import { fakeUserId } from './fake-ids.ts';
import { formatTags, SERVER_NAME, sortedTags, userPrefix } from './irc-protocol.ts';

/** A few global Twitch emotes (name -> emote id), found automatically in message texts. */
export const GLOBAL_EMOTES: Readonly<Record<string, string>> = {
  Kappa: '25',
  Keepo: '1902',
  PogChamp: '305954156',
  LUL: '425618',
  Kreygasm: '41',
  BibleThump: '86',
  '4Head': '354',
  ResidentSleeper: '245',
  NotLikeThis: '58765',
  SeemsGood: '64138',
  HeyGuys: '30259',
  VoHiYo: '81274',
  '<3': '555555584',
};

export interface EmoteSpan {
  id: string;
  /** First and last position, inclusive, counted in Unicode code points. */
  start: number;
  end: number;
}

/**
 * Positions of the known emotes in a text. Twitch counts positions in Unicode code points, not
 * UTF-16 units: in `😀 Kappa` the emote is at 2-6 although JavaScript's `indexOf` says 3.
 * A consumer that slices with String.prototype.slice on those numbers cuts emotes wrongly
 * after any emoji; the fake keeps Twitch's convention so tests can catch that.
 */
export function findEmotes(
  text: string,
  emoteIds: Readonly<Record<string, string>> = GLOBAL_EMOTES,
): EmoteSpan[] {
  const points = Array.from(text);
  const spans: EmoteSpan[] = [];
  let i = 0;
  while (i < points.length) {
    if (points[i] === ' ') {
      i += 1;
      continue;
    }
    let j = i;
    while (j < points.length && points[j] !== ' ') j += 1;
    const word = points.slice(i, j).join('');
    if (Object.hasOwn(emoteIds, word))
      spans.push({ id: emoteIds[word] ?? '', start: i, end: j - 1 });
    i = j;
  }
  return spans;
}

/** Twitch's `emotes` tag: `25:0-4,12-16/1902:6-10`, spans grouped by emote id in order of first use. */
export function formatEmotes(spans: readonly EmoteSpan[]): string {
  const groups = new Map<string, string[]>();
  for (const span of spans) {
    const list = groups.get(span.id) ?? [];
    list.push(`${span.start}-${span.end}`);
    groups.set(span.id, list);
  }
  return [...groups].map(([id, ranges]) => `${id}:${ranges.join(',')}`).join('/');
}

function formatBadges(badges: Readonly<Record<string, string>>): string {
  return Object.entries(badges)
    .map(([name, version]) => `${name}/${version}`)
    .join(',');
}

function flag(value: boolean): string {
  return value ? '1' : '0';
}

/** Who speaks: the chatter fields Twitch repeats on PRIVMSG and USERNOTICE. */
export interface FakeChatter {
  /** Login name (lower case), used in the prefix and the `login` tag. */
  user: string;
  /** Defaults to the login. */
  displayName?: string;
  /** Defaults to fakeUserId(user). */
  userId?: string;
  /** `#RRGGBB`, or '' for a chatter who never picked one (Twitch sends `color=`). */
  color?: string;
  /** e.g. `{ subscriber: '12', premium: '1' }` -> `badges=subscriber/12,premium/1`; order is kept. */
  badges?: Readonly<Record<string, string>>;
  /** e.g. `{ subscriber: '14' }` (exact months) -> `badge-info=subscriber/14`. */
  badgeInfo?: Readonly<Record<string, string>>;
  /** Default: whether the badges include `moderator`. */
  mod?: boolean;
  /** Default: whether the badges include `subscriber` or `founder`. */
  subscriber?: boolean;
  /** Default: whether the badges include `vip`; Twitch sends `vip=1` only for VIPs. */
  vip?: boolean;
  turbo?: boolean;
  /** Twitch's user-type: '' for a normal chatter. */
  userType?: '' | 'mod' | 'admin' | 'global_mod' | 'staff';
}

function chatterTags(chatter: FakeChatter): Record<string, string> {
  const badges = chatter.badges ?? {};
  const tags: Record<string, string> = {
    'badge-info': formatBadges(chatter.badgeInfo ?? {}),
    badges: formatBadges(badges),
    color: chatter.color ?? '',
    'display-name': chatter.displayName ?? chatter.user,
    mod: flag(chatter.mod ?? 'moderator' in badges),
    subscriber: flag(chatter.subscriber ?? ('subscriber' in badges || 'founder' in badges)),
    'user-id': chatter.userId ?? fakeUserId(chatter.user),
    'user-type': chatter.userType ?? '',
  };
  if (chatter.vip ?? 'vip' in badges) tags.vip = '1';
  return tags;
}

/** Extra tags: a string sets or replaces a tag, undefined removes it (e.g. to imitate an older server). */
export type TagOverrides = Readonly<Record<string, string | undefined>>;

function applyOverrides(tags: Record<string, string>, overrides: TagOverrides | undefined): void {
  if (overrides === undefined) return;
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete tags[name];
    else tags[name] = value;
  }
}

function assertOneLine(text: string, what: string): void {
  if (/[\r\n\0]/.test(text))
    throw new Error(`${what} must not contain CR, LF or NUL: ${JSON.stringify(text)}`);
}

function channelParam(channel: string): string {
  const name = channel.replace(/^#/, '').toLowerCase();
  assertOneLine(name, 'channel');
  return `#${name}`;
}

export interface FakeReplyParent {
  msgId: string;
  userLogin: string;
  userId?: string;
  displayName?: string;
  body: string;
  /** The thread's first message; defaults to the parent. */
  threadMsgId?: string;
  threadUserLogin?: string;
}

export interface FakePrivmsg extends FakeChatter {
  text: string;
  /** Twitch's message id (a UUID); a random one by default. */
  id?: string;
  /** Milliseconds since the epoch; defaults to the server's clock. */
  tmiSentTs?: number;
  /**
   * The `emotes` tag: a ready string (`25:0-4`), explicit spans, or omitted to find the
   * GLOBAL_EMOTES in the text.
   */
  emotes?: string | readonly EmoteSpan[];
  /** A cheer: adds `bits=N` (the text should then contain cheermotes such as `Cheer100`). */
  bits?: number;
  firstMsg?: boolean;
  returningChatter?: boolean;
  /** AutoMod flags, `flags=` by default. */
  flags?: string;
  /** `/me` message: sent as `\x01ACTION text\x01`; emote positions stay relative to the text. */
  action?: boolean;
  /** A reply: adds the `reply-parent-*` and `reply-thread-parent-*` tags. Twitch also starts the text with `@parent `; pass that text yourself. */
  replyParent?: FakeReplyParent;
  clientNonce?: string;
  tags?: TagOverrides;
}

export interface BuiltLine {
  line: string;
  /** The message id the line carries, when it has one. */
  id?: string;
}

export function buildPrivmsgLine(
  channel: string,
  message: FakePrivmsg,
  context: { roomId: string; now: number },
): BuiltLine {
  assertOneLine(message.text, 'message text');
  const id = message.id ?? randomUUID();
  const emotes =
    typeof message.emotes === 'string'
      ? message.emotes
      : formatEmotes(message.emotes ?? findEmotes(message.text));
  const tags: Record<string, string> = {
    ...chatterTags(message),
    emotes,
    'first-msg': flag(message.firstMsg ?? false),
    flags: message.flags ?? '',
    id,
    'returning-chatter': flag(message.returningChatter ?? false),
    'room-id': context.roomId,
    'tmi-sent-ts': String(message.tmiSentTs ?? context.now),
    turbo: flag(message.turbo ?? false),
  };
  if (message.bits !== undefined) tags.bits = String(message.bits);
  if (message.clientNonce !== undefined) tags['client-nonce'] = message.clientNonce;
  const parent = message.replyParent;
  if (parent !== undefined) {
    const parentUserId = parent.userId ?? fakeUserId(parent.userLogin);
    tags['reply-parent-display-name'] = parent.displayName ?? parent.userLogin;
    tags['reply-parent-msg-body'] = parent.body;
    tags['reply-parent-msg-id'] = parent.msgId;
    tags['reply-parent-user-id'] = parentUserId;
    tags['reply-parent-user-login'] = parent.userLogin;
    const threadLogin = parent.threadUserLogin ?? parent.userLogin;
    tags['reply-thread-parent-display-name'] =
      parent.threadUserLogin === undefined ? (parent.displayName ?? parent.userLogin) : threadLogin;
    tags['reply-thread-parent-msg-id'] = parent.threadMsgId ?? parent.msgId;
    tags['reply-thread-parent-user-id'] =
      parent.threadUserLogin === undefined ? parentUserId : fakeUserId(threadLogin);
    tags['reply-thread-parent-user-login'] = threadLogin;
  }
  applyOverrides(tags, message.tags);
  const text = message.action === true ? `\x01ACTION ${message.text}\x01` : message.text;
  const line = `${formatTags(sortedTags(tags))} :${userPrefix(message.user)} PRIVMSG ${channelParam(channel)} :${text}`;
  return { line, id: tags.id ?? id };
}

/** Sub plans as Twitch names them in `msg-param-sub-plan`. */
export type SubPlan = 'Prime' | '1000' | '2000' | '3000';

function planLabel(plan: SubPlan): string {
  return plan === 'Prime' ? 'Prime' : `Tier ${plan.charAt(0)}`;
}

function subscribedPhrase(plan: SubPlan): string {
  return plan === 'Prime' ? 'subscribed with Prime' : `subscribed at ${planLabel(plan)}`;
}

interface UsernoticeBase extends FakeChatter {
  id?: string;
  tmiSentTs?: number;
  /** The chatter's own message shared with a resub; most notices have none. */
  text?: string;
  emotes?: string | readonly EmoteSpan[];
  /** Replaces the generated `system-msg`. */
  systemMsg?: string;
  tags?: TagOverrides;
}

export interface FakeSubNotice extends UsernoticeBase {
  type: 'sub';
  plan?: SubPlan;
  /** Default channel name in `msg-param-sub-plan-name`: `Channel Subscription (<channel>)`. */
  planName?: string;
}

export interface FakeResubNotice extends UsernoticeBase {
  type: 'resub';
  plan?: SubPlan;
  planName?: string;
  cumulativeMonths: number;
  /** Shared streak; omitted means the chatter chose not to share it. */
  streakMonths?: number;
}

export interface FakeSubGiftNotice extends UsernoticeBase {
  type: 'subgift';
  plan?: SubPlan;
  planName?: string;
  recipient: string;
  recipientDisplayName?: string;
  recipientId?: string;
  /** The recipient's cumulative months, 1 for a first sub. */
  months?: number;
  giftMonths?: number;
  /** The gifter's total gifts in the channel; 0 when they keep it private. */
  senderCount?: number;
  /** Sent as Twitch's AnAnonymousGifter (user is then ignored). */
  anonymous?: boolean;
}

export interface FakeRaidNotice extends UsernoticeBase {
  type: 'raid';
  /** The raiding channel is the `user`. */
  viewerCount: number;
}

/** Any other msg-id (announcement, submysterygift, ...): `params` keys get the `msg-param-` prefix. */
export interface FakeCustomNotice extends UsernoticeBase {
  type: 'custom';
  msgId: string;
  params?: Readonly<Record<string, string>>;
  systemMsg: string;
}

export type FakeUsernotice =
  FakeSubNotice | FakeResubNotice | FakeSubGiftNotice | FakeRaidNotice | FakeCustomNotice;

const ANONYMOUS_GIFTER = { login: 'ananonymousgifter', name: 'AnAnonymousGifter', id: '274598607' };

function usernoticeSpecifics(
  notice: FakeUsernotice,
  channelName: string,
  displayName: string,
): { msgId: string; params: Record<string, string>; systemMsg: string } {
  switch (notice.type) {
    case 'sub': {
      const plan = notice.plan ?? '1000';
      return {
        msgId: 'sub',
        params: {
          'cumulative-months': '1',
          months: '0',
          'multimonth-duration': '1',
          'multimonth-tenure': '0',
          'should-share-streak': '0',
          'sub-plan-name': notice.planName ?? `Channel Subscription (${channelName})`,
          'sub-plan': plan,
          'was-gifted': 'false',
        },
        systemMsg: `${displayName} ${subscribedPhrase(plan)}.`,
      };
    }
    case 'resub': {
      const plan = notice.plan ?? '1000';
      const params: Record<string, string> = {
        'cumulative-months': String(notice.cumulativeMonths),
        months: '0',
        'multimonth-duration': '1',
        'multimonth-tenure': '0',
        'should-share-streak': notice.streakMonths === undefined ? '0' : '1',
        'sub-plan-name': notice.planName ?? `Channel Subscription (${channelName})`,
        'sub-plan': plan,
        'was-gifted': 'false',
      };
      if (notice.streakMonths !== undefined) params['streak-months'] = String(notice.streakMonths);
      const streak =
        notice.streakMonths === undefined
          ? '!'
          : `, currently on a ${notice.streakMonths} month streak!`;
      return {
        msgId: 'resub',
        params,
        systemMsg: `${displayName} ${subscribedPhrase(plan)}. They've subscribed for ${notice.cumulativeMonths} months${streak}`,
      };
    }
    case 'subgift': {
      const plan = notice.plan ?? '1000';
      const recipientName = notice.recipientDisplayName ?? notice.recipient;
      const gifter = notice.anonymous === true ? 'An anonymous user' : displayName;
      return {
        msgId: 'subgift',
        params: {
          'gift-months': String(notice.giftMonths ?? 1),
          months: String(notice.months ?? 1),
          'origin-id': randomUUID().replace(/-/g, ''),
          'recipient-display-name': recipientName,
          'recipient-id': notice.recipientId ?? fakeUserId(notice.recipient),
          'recipient-user-name': notice.recipient,
          'sender-count': String(notice.senderCount ?? 0),
          'sub-plan-name': notice.planName ?? `Channel Subscription (${channelName})`,
          'sub-plan': plan,
        },
        systemMsg: `${gifter} gifted a ${planLabel(plan)} sub to ${recipientName}!`,
      };
    }
    case 'raid':
      return {
        msgId: 'raid',
        params: {
          displayName,
          login: notice.user,
          profileImageURL: `https://static-cdn.jtvnw.net/jtv_user_pictures/${notice.user}-profile_image-70x70.png`,
          viewerCount: String(notice.viewerCount),
        },
        systemMsg: `${notice.viewerCount} raiders from ${displayName} have joined!`,
      };
    case 'custom':
      return { msgId: notice.msgId, params: { ...notice.params }, systemMsg: notice.systemMsg };
  }
}

export function buildUsernoticeLine(
  channel: string,
  notice: FakeUsernotice,
  context: { roomId: string; now: number },
): BuiltLine {
  const anonymous = notice.type === 'subgift' && notice.anonymous === true;
  const chatter: FakeChatter = anonymous
    ? {
        user: ANONYMOUS_GIFTER.login,
        displayName: ANONYMOUS_GIFTER.name,
        userId: ANONYMOUS_GIFTER.id,
      }
    : notice;
  const displayName = chatter.displayName ?? chatter.user;
  const target = channelParam(channel);
  const specifics = usernoticeSpecifics(notice, target.slice(1), displayName);
  const id = notice.id ?? randomUUID();
  const text = notice.text;
  if (text !== undefined) assertOneLine(text, 'notice text');
  const emotes =
    typeof notice.emotes === 'string'
      ? notice.emotes
      : formatEmotes(notice.emotes ?? (text === undefined ? [] : findEmotes(text)));
  const tags: Record<string, string> = {
    ...chatterTags(chatter),
    emotes,
    flags: '',
    id,
    login: chatter.user,
    'msg-id': specifics.msgId,
    'room-id': context.roomId,
    'system-msg': notice.systemMsg ?? specifics.systemMsg,
    'tmi-sent-ts': String(notice.tmiSentTs ?? context.now),
  };
  for (const [name, value] of Object.entries(specifics.params)) tags[`msg-param-${name}`] = value;
  applyOverrides(tags, notice.tags);
  const trailing = text === undefined ? '' : ` :${text}`;
  return {
    line: `${formatTags(sortedTags(tags))} :${SERVER_NAME} USERNOTICE ${target}${trailing}`,
    id: tags.id ?? id,
  };
}

export interface FakeClearchat {
  /** The chatter banned or timed out; omit to clear the whole chat. */
  user?: string;
  userId?: string;
  /** Seconds of a timeout; omit for a permanent ban. */
  banDuration?: number;
  tmiSentTs?: number;
  tags?: TagOverrides;
}

export function buildClearchatLine(
  channel: string,
  clear: FakeClearchat,
  context: { roomId: string; now: number },
): BuiltLine {
  const tags: Record<string, string> = {
    'room-id': context.roomId,
    'tmi-sent-ts': String(clear.tmiSentTs ?? context.now),
  };
  if (clear.user !== undefined) {
    tags['target-user-id'] = clear.userId ?? fakeUserId(clear.user);
    if (clear.banDuration !== undefined) tags['ban-duration'] = String(clear.banDuration);
  }
  applyOverrides(tags, clear.tags);
  const trailing = clear.user === undefined ? '' : ` :${clear.user}`;
  return {
    line: `${formatTags(sortedTags(tags))} :${SERVER_NAME} CLEARCHAT ${channelParam(channel)}${trailing}`,
  };
}

export interface FakeClearmsg {
  /** Login of the chatter whose message was deleted. */
  login: string;
  targetMsgId: string;
  /** The deleted message's text. */
  text: string;
  tmiSentTs?: number;
  tags?: TagOverrides;
}

export function buildClearmsgLine(
  channel: string,
  clear: FakeClearmsg,
  context: { now: number },
): BuiltLine {
  assertOneLine(clear.text, 'message text');
  // Twitch sends CLEARMSG with an empty room-id (observed on the real server); a consumer must
  // take the channel from the parameter.
  const tags: Record<string, string> = {
    login: clear.login,
    'room-id': '',
    'target-msg-id': clear.targetMsgId,
    'tmi-sent-ts': String(clear.tmiSentTs ?? context.now),
  };
  applyOverrides(tags, clear.tags);
  return {
    line: `${formatTags(sortedTags(tags))} :${SERVER_NAME} CLEARMSG ${channelParam(channel)} :${clear.text}`,
  };
}

/** A chat room's modes. followersOnly: -1 off, else minutes; slow: seconds between messages. */
export interface RoomModes {
  emoteOnly: boolean;
  followersOnly: number;
  r9k: boolean;
  slow: number;
  subsOnly: boolean;
}

export const DEFAULT_ROOM_MODES: Readonly<RoomModes> = {
  emoteOnly: false,
  followersOnly: -1,
  r9k: false,
  slow: 0,
  subsOnly: false,
};

/** Full state (on JOIN) when every mode is given, else a partial update carrying only the changed modes, as Twitch does. */
export function buildRoomstateLine(
  channel: string,
  modes: Partial<RoomModes>,
  context: { roomId: string },
): BuiltLine {
  const tags: Record<string, string> = { 'room-id': context.roomId };
  if (modes.emoteOnly !== undefined) tags['emote-only'] = flag(modes.emoteOnly);
  if (modes.followersOnly !== undefined) tags['followers-only'] = String(modes.followersOnly);
  if (modes.r9k !== undefined) tags.r9k = flag(modes.r9k);
  if (modes.slow !== undefined) tags.slow = String(modes.slow);
  if (modes.subsOnly !== undefined) tags['subs-only'] = flag(modes.subsOnly);
  return {
    line: `${formatTags(sortedTags(tags))} :${SERVER_NAME} ROOMSTATE ${channelParam(channel)}`,
  };
}

/** The tags Twitch sends about a plain logged-in user (no badges, no colour) in both states. */
function ownUserTags(login: string): Record<string, string> {
  return {
    'badge-info': '',
    badges: '',
    color: '',
    'display-name': login,
    'emote-sets': '0',
    'user-type': '',
  };
}

/** USERSTATE sent to an authenticated client when it joins a channel. */
export function buildUserstateLine(channel: string, login: string): BuiltLine {
  const tags = { ...ownUserTags(login), mod: '0', subscriber: '0' };
  return {
    line: `${formatTags(sortedTags(tags))} :${SERVER_NAME} USERSTATE ${channelParam(channel)}`,
  };
}

/** GLOBALUSERSTATE sent once to an authenticated client after the welcome. */
export function buildGlobalUserstateLine(login: string, userId: string): BuiltLine {
  const tags = { ...ownUserTags(login), 'user-id': userId };
  return { line: `${formatTags(sortedTags(tags))} :${SERVER_NAME} GLOBALUSERSTATE` };
}
