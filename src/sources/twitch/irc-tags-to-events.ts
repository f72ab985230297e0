// Pure: one Twitch IRC line (IRCv3 tags, command, parameters) to one canonical event. PRIVMSG
// becomes `chat`, USERNOTICE `notice`, CLEARCHAT / CLEARMSG / ROOMSTATE `moderation`; every other
// command is ignored. A line that cannot be mapped is an outcome with a reason, never a throw:
// one bad line from Twitch must not stop a connection that carries 90 channels.
import { validateEvent } from '../../events/decode.ts';
import { SCHEMA_VERSION, type Notice, type StreamEvent } from '../../events/schema.ts';
import { emotesFromTag } from './twitch-emotes.ts';

/** What the mapping needs from a parsed line; `ircLineOf` in chat-connection.ts builds it from ircv3's. */
export interface IrcLine {
  command: string;
  /** Middle and trailing parameters, in order (`#channel`, text). */
  params: readonly string[];
  /** Tag values, already unescaped. */
  tags: ReadonlyMap<string, string>;
  /** The prefix's nick: the chatter's login on PRIVMSG. */
  prefixNick?: string;
}

export interface MappingContext {
  /** When the line arrived (epoch ms), from the injected clock. */
  receivedTs: number;
  /** Room id of a channel login, for CLEARMSG: Twitch sends it with an empty `room-id`. */
  roomIdOf?: (channel: string) => string | undefined;
}

/** Small and fixed, so it can label a metric; the detail goes to the log. */
export type MalformedReason = 'missing-field' | 'bad-field' | 'invalid-event';

export type LineOutcome =
  | { kind: 'event'; event: StreamEvent }
  | { kind: 'ignored' }
  | { kind: 'malformed'; reason: MalformedReason; detail: string };

const MAPPED_COMMANDS = new Set(['PRIVMSG', 'USERNOTICE', 'CLEARCHAT', 'CLEARMSG', 'ROOMSTATE']);

/** A line that cannot be mapped: thrown inside this module only, returned as an outcome. */
class Unmappable extends Error {
  readonly reason: MalformedReason;
  constructor(reason: MalformedReason, detail: string) {
    super(detail);
    this.reason = reason;
  }
}

export function ircLineToEvent(line: IrcLine, context: MappingContext): LineOutcome {
  if (!MAPPED_COMMANDS.has(line.command)) return { kind: 'ignored' };
  let raw: Record<string, unknown>;
  try {
    raw = rawEvent(new LineReader(line, context));
  } catch (error) {
    // Anything else thrown here is a bug, but it is still one line: count it, keep reading.
    const reason = error instanceof Unmappable ? error.reason : 'invalid-event';
    return { kind: 'malformed', reason, detail: `${line.command}: ${(error as Error).message}` };
  }
  const decoded = validateEvent(raw);
  if (!decoded.ok) {
    return {
      kind: 'malformed',
      reason: 'invalid-event',
      detail: `${line.command}: ${decoded.reason}`,
    };
  }
  return { kind: 'event', event: decoded.event };
}

function rawEvent(reader: LineReader): Record<string, unknown> {
  switch (reader.line.command) {
    case 'PRIVMSG':
      return chatMessage(reader);
    case 'USERNOTICE':
      return notice(reader);
    case 'CLEARCHAT':
      return withoutUndefined({
        ...moderationBase(reader, 'clearchat'),
        user_id: reader.optional('target-user-id'),
        duration_s: reader.optionalInt('ban-duration'),
      });
    case 'CLEARMSG':
      return withoutUndefined({
        ...moderationBase(reader, 'clearmsg'),
        target_message_id: reader.required('target-msg-id'),
      });
    default:
      return roomState(reader);
  }
}

function chatMessage(reader: LineReader): Record<string, unknown> {
  const login = reader.line.prefixNick;
  if (login === undefined || login === '')
    throw new Unmappable('missing-field', 'no sender prefix');
  const text = actionText(reader.param(1, 'text'));
  const emotes = emotesFromTag(reader.optional('emotes') ?? '', text);
  if ('error' in emotes) throw new Unmappable('bad-field', emotes.error);
  const badges = badgesFromTag(reader.optional('badges') ?? '');
  return withoutUndefined({
    v: SCHEMA_VERSION,
    type: 'chat',
    channel_id: reader.required('room-id'),
    ts: reader.sentTs(),
    id: reader.required('id'),
    channel: reader.channel(),
    user_id: reader.required('user-id'),
    user: login,
    display_name: reader.optional('display-name') || undefined,
    text,
    received_ts: reader.context.receivedTs,
    emotes,
    badges,
    bits: reader.optionalInt('bits') ?? 0,
    first_msg: reader.flag('first-msg'),
    returning: reader.flag('returning-chatter'),
    mod: reader.flag('mod') || 'moderator' in badges,
    sub: reader.flag('subscriber') || 'subscriber' in badges || 'founder' in badges,
    // Twitch sends `vip=1` only for VIPs, and not on every line: the badge says it too.
    vip: reader.flag('vip') || 'vip' in badges,
    reply_to: reader.optional('reply-parent-msg-id') || undefined,
  });
}

const NOTICE_KINDS: ReadonlySet<string> = new Set([
  'sub',
  'resub',
  'subgift',
  'submysterygift',
  'raid',
]);

function notice(reader: LineReader): Record<string, unknown> {
  const msgId = reader.required('msg-id');
  const kind = (NOTICE_KINDS.has(msgId) ? msgId : 'other') as Notice['kind'];
  // Twitch's system message says what happened ("X subscribed at Tier 1."), as the simulator's
  // notices do; the chatter's own shared message is the fallback.
  const text = reader.optional('system-msg') || reader.line.params[1] || undefined;
  return withoutUndefined({
    v: SCHEMA_VERSION,
    type: 'notice',
    channel_id: reader.required('room-id'),
    ts: reader.sentTs(),
    id: reader.required('id'),
    kind,
    channel: reader.channel(),
    user_id: reader.optional('user-id') || undefined,
    user: reader.optional('login') || undefined,
    text,
    count: noticeCount(kind, reader),
    viewers: kind === 'raid' ? reader.requiredInt('msg-param-viewerCount') : undefined,
  });
}

function noticeCount(kind: Notice['kind'], reader: LineReader): number | undefined {
  switch (kind) {
    case 'resub':
      return reader.optionalInt('msg-param-cumulative-months');
    case 'subgift':
      return 1;
    case 'submysterygift':
      return reader.optionalInt('msg-param-mass-gift-count');
    default:
      return undefined;
  }
}

function moderationBase(reader: LineReader, kind: string): Record<string, unknown> {
  return {
    v: SCHEMA_VERSION,
    type: 'moderation',
    channel_id: reader.roomId(),
    ts: reader.sentTs(),
    kind,
  };
}

function roomState(reader: LineReader): Record<string, unknown> {
  const followers = reader.optionalInt('followers-only', true);
  return withoutUndefined({
    ...moderationBase(reader, 'roomstate'),
    slow_s: reader.optionalInt('slow'),
    emote_only: reader.optionalFlag('emote-only'),
    followers_only_min: followers,
    subs_only: reader.optionalFlag('subs-only'),
  });
}

/** `/me` arrives as CTCP ACTION; the canonical text is what the chatter typed. */
function actionText(text: string): string {
  const match = /^\x01ACTION (.*)\x01$/s.exec(text);
  return match === null ? text : (match[1] ?? '');
}

/** `subscriber/12,premium/1` -> `{ subscriber: '12', premium: '1' }`. */
function badgesFromTag(tag: string): Record<string, string> {
  const badges: Record<string, string> = {};
  for (const item of tag.split(',')) {
    if (item === '') continue;
    const slash = item.indexOf('/');
    if (slash === -1) badges[item] = '';
    else badges[item.slice(0, slash)] = item.slice(slash + 1);
  }
  return badges;
}

/** Optional schema fields are absent, not `undefined`: the event is compared and serialized as is. */
function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record;
}

/** Typed reads of one line's tags and parameters; a missing or bad value throws Unmappable. */
class LineReader {
  readonly line: IrcLine;
  readonly context: MappingContext;

  constructor(line: IrcLine, context: MappingContext) {
    this.line = line;
    this.context = context;
  }

  param(index: number, what: string): string {
    const value = this.line.params[index];
    if (value === undefined) throw new Unmappable('missing-field', `no ${what} parameter`);
    return value;
  }

  channel(): string {
    const target = this.param(0, 'channel');
    if (!target.startsWith('#') || target.length < 2) {
      throw new Unmappable('bad-field', `channel parameter is not #name: ${target}`);
    }
    return target.slice(1).toLowerCase();
  }

  optional(tag: string): string | undefined {
    return this.line.tags.get(tag);
  }

  required(tag: string): string {
    const value = this.line.tags.get(tag);
    if (value === undefined || value === '') throw new Unmappable('missing-field', `no ${tag} tag`);
    return value;
  }

  /** `room-id`, or the one learned for the channel when Twitch left it empty (CLEARMSG). */
  roomId(): string {
    const tagged = this.line.tags.get('room-id');
    if (tagged !== undefined && tagged !== '') return tagged;
    const learned = this.context.roomIdOf?.(this.channel());
    if (learned === undefined)
      throw new Unmappable('missing-field', 'no room-id tag and no known room id');
    return learned;
  }

  /** `tmi-sent-ts`; lines without it (ROOMSTATE) take the receive time. */
  sentTs(): number {
    return this.optionalInt('tmi-sent-ts') ?? this.context.receivedTs;
  }

  optionalInt(tag: string, signed = false): number | undefined {
    const value = this.line.tags.get(tag);
    if (value === undefined || value === '') return undefined;
    if (!(signed ? /^-?\d+$/ : /^\d+$/).test(value) || !Number.isSafeInteger(Number(value))) {
      throw new Unmappable('bad-field', `${tag} is not a whole number: ${value}`);
    }
    return Number(value);
  }

  requiredInt(tag: string): number {
    const value = this.optionalInt(tag);
    if (value === undefined) throw new Unmappable('missing-field', `no ${tag} tag`);
    return value;
  }

  flag(tag: string): boolean {
    return this.line.tags.get(tag) === '1';
  }

  optionalFlag(tag: string): boolean | undefined {
    const value = this.line.tags.get(tag);
    return value === undefined || value === '' ? undefined : value === '1';
  }
}
