// Turns "who says what, when" into canonical chat events with everything Twitch tags on a
// message: id, badges, roles, first-message and returning-chatter flags, replies.
import type { ChatMessage } from '../../events/schema.ts';
import { SCHEMA_VERSION } from '../../events/schema.ts';
import type { SimChannel } from './channels.ts';
import type { Speaker } from './chat-lines.ts';
import { ROLE_CHATTED_BEFORE, ROLE_MODERATOR, ROLE_VIP } from './chatter-pool.ts';
import { messageId } from './ids.ts';
import type { MessageText } from './message-text.ts';
import { finalize32, type Random } from './random.ts';
import type { Genre } from './stream-catalog.ts';

/** Larger = chat is dominated more by its regulars (rank follows a power of a uniform). */
const REGULARS_SKEW = 2.2;
/** Odds that a member's first message of a broadcast carries Twitch's returning-chatter flag. */
const RETURNING_ODDS = 0.06;
/** Delay between Twitch stamping a message and a reader receiving it: median and spread. */
const DELIVERY_MEDIAN_MS = 120;
const DELIVERY_SPREAD = 0.5;
/** How many recent messages someone can reply to or mention. */
const RECENT_MESSAGES = 16;

/** Subscriber badge versions Twitch awards by months. */
const SUB_BADGE_MONTHS = [0, 3, 6, 9, 12, 18, 24, 36, 48, 60, 72, 84, 96, 108, 120];

function subscriberBadge(months: number): string {
  let version = 0;
  for (const threshold of SUB_BADGE_MONTHS) if (months >= threshold) version = threshold;
  return String(version);
}

/** Percent of accounts showing each Twitch-wide badge (Prime, a cheer badge, Turbo). */
const PRIME_PERCENT = 18;
const BITS_100_PERCENT = 5;
const BITS_1000_PERCENT = 3;
const TURBO_PERCENT = 2;
/** Keeps the badge roll independent of the other hashes of the user index. */
const ACCOUNT_BADGE_SALT = 0x5bd1e995;

/** Twitch-wide badges belong to the account, not the channel: derived from the user index. */
function accountBadge(userIndex: number, badges: Record<string, string>): void {
  let roll = finalize32(userIndex ^ ACCOUNT_BADGE_SALT) % 100;
  if ((roll -= PRIME_PERCENT) < 0) badges.premium = '1';
  else if ((roll -= BITS_100_PERCENT) < 0) badges.bits = '100';
  else if ((roll -= BITS_1000_PERCENT) < 0) badges.bits = '1000';
  else if ((roll -= TURBO_PERCENT) < 0) badges.turbo = '1';
}

export interface RecentMessage {
  id: string;
  displayName: string;
}

/** What the writer remembers of a member: chatted here ever (so no more `first-msg`), this broadcast. */
const CHATTED_HERE = 1;
const CHATTED_THIS_BROADCAST = 2;

/** Bit flags of a message's author, as Twitch tags them. */
const FIRST_MESSAGE = 1;
const RETURNING = 2;
const MODERATOR = 4;
const VIP = 8;
const SUBSCRIBER = 16;

export class ChatWriter {
  private readonly channel: SimChannel;
  private readonly random: Random;
  /** Per member: CHATTED_HERE and CHATTED_THIS_BROADCAST bits. */
  private readonly history: Uint8Array;
  /** Outsiders (raiders) who chatted here, by user index. */
  private readonly outsidersSeen = new Set<number>();
  /** Ring of the latest messages (ids and authors) one can reply to. */
  private readonly recentIds: string[] = [];
  private readonly recentAuthors: string[] = [];
  private recentNext = 0;

  constructor(channel: SimChannel, random: Random) {
    this.channel = channel;
    this.random = random;
    const pool = channel.chatters;
    this.history = new Uint8Array(pool.size);
    for (let slot = 0; slot < pool.size; slot++) {
      this.history[slot] = pool.hasRole(slot, ROLE_CHATTED_BEFORE) ? CHATTED_HERE : 0;
    }
  }

  onBroadcastStart(): void {
    for (let slot = 0; slot < this.history.length; slot++) {
      this.history[slot] = (this.history[slot] as number) & ~CHATTED_THIS_BROADCAST;
    }
  }

  /** A member picked by how much they chat: a few regulars write most messages. */
  pickRegular(): number {
    return Math.floor(this.channel.chatters.size * Math.pow(this.random.next(), REGULARS_SKEW));
  }

  /** Any member with equal odds: lurkers speak up when something happens. */
  pickAnyone(): number {
    return this.random.int(0, this.channel.chatters.size);
  }

  speaker(slot: number, genre: Genre): Speaker {
    return {
      language: this.channel.language,
      genre,
      channelEmotes: this.channel.emotes,
      subscriber: this.channel.chatters.subMonths(slot) > 0,
    };
  }

  /** A recent message to reply to or whose author to mention, if any. */
  recentMessage(): RecentMessage | undefined {
    if (this.recentIds.length === 0) return undefined;
    const at = this.random.int(0, this.recentIds.length);
    return { id: this.recentIds[at] as string, displayName: this.recentAuthors[at] as string };
  }

  /** A message from a member of the channel's chatter pool. */
  member(slot: number, ts: number, text: MessageText, replyTo?: string, bits = 0): ChatMessage {
    const pool = this.channel.chatters;
    const userIndex = pool.userIndex(slot);
    const months = pool.subMonths(slot);
    const moderator = pool.hasRole(slot, ROLE_MODERATOR);
    const vip = pool.hasRole(slot, ROLE_VIP);
    const badges: Record<string, string> = {};
    if (moderator) badges.moderator = '1';
    else if (vip) badges.vip = '1';
    if (months > 0) badges.subscriber = subscriberBadge(months);
    accountBadge(userIndex, badges);
    const history = this.history[slot] as number;
    const firstMessage = (history & CHATTED_HERE) === 0;
    const returning =
      !firstMessage &&
      (history & CHATTED_THIS_BROADCAST) === 0 &&
      this.random.chance(RETURNING_ODDS);
    this.history[slot] = CHATTED_HERE | CHATTED_THIS_BROADCAST;
    const flags =
      (firstMessage ? FIRST_MESSAGE : 0) |
      (returning ? RETURNING : 0) |
      (moderator ? MODERATOR : 0) |
      (vip ? VIP : 0) |
      (months > 0 ? SUBSCRIBER : 0);
    const message = this.message(userIndex, ts, text, badges, flags, bits);
    if (replyTo !== undefined) message.reply_to = replyTo;
    return message;
  }

  /** A message from someone outside the pool (a raider), first-msg on their first visit. */
  outsider(userIndex: number, ts: number, text: MessageText): ChatMessage {
    const firstMessage = !this.outsidersSeen.has(userIndex);
    this.outsidersSeen.add(userIndex);
    const badges: Record<string, string> = {};
    accountBadge(userIndex, badges);
    return this.message(userIndex, ts, text, badges, firstMessage ? FIRST_MESSAGE : 0);
  }

  /** A message from one of the channel's chat bots (moderators by role). */
  bot(userIndex: number, ts: number, text: MessageText): ChatMessage {
    const badges = { moderator: '1' };
    return this.message(userIndex, ts, text, badges, MODERATOR);
  }

  private message(
    userIndex: number,
    ts: number,
    text: MessageText,
    badges: Record<string, string>,
    flags: number,
    bits = 0,
  ): ChatMessage {
    const user = this.channel.chatters.directory.user(userIndex);
    return {
      v: SCHEMA_VERSION,
      type: 'chat',
      channel_id: this.channel.id,
      ts,
      id: messageId(this.random),
      channel: this.channel.login,
      user_id: user.id,
      user: user.login,
      display_name: user.displayName,
      text: text.text,
      received_ts: ts + Math.round(this.random.logNormal(DELIVERY_MEDIAN_MS, DELIVERY_SPREAD)),
      emotes: text.emotes,
      badges,
      bits,
      first_msg: (flags & FIRST_MESSAGE) !== 0,
      returning: (flags & RETURNING) !== 0,
      mod: (flags & MODERATOR) !== 0,
      sub: (flags & SUBSCRIBER) !== 0,
      vip: (flags & VIP) !== 0,
    };
  }

  /**
   * Makes a delivered message one others can reply to. Messages are delivered in time order,
   * so nobody replies to a message from the future.
   */
  remember(message: ChatMessage): ChatMessage {
    this.recentIds[this.recentNext] = message.id;
    this.recentAuthors[this.recentNext] = message.display_name ?? message.user;
    this.recentNext = (this.recentNext + 1) % RECENT_MESSAGES;
    return message;
  }
}
