// One user flooding chat with the same line: a troll's copypasta, an emote wall, a spam bot's
// advert. It is not a highlight. A detector counting messages fires on it; one counting
// distinct chatters does not. Moderators usually time the spammer out.
import type { Moderation } from '../../events/schema.ts';
import { SCHEMA_VERSION } from '../../events/schema.ts';
import type { Range } from './channels.ts';
import { ROLE_MODERATOR, ROLE_VIP } from './chatter-pool.ts';
import { EVERYDAY_EMOTES } from './emotes.ts';
import { MessageText } from './message-text.ts';
import { COPYPASTAS, SPAM_ADVERTS } from './phrases.ts';
import { WeightedChoice, type Random } from './random.ts';
import { Recurrence } from './recurrence.ts';
import type { ChannelScene } from './scene.ts';
import { FIRST_SPAM_BOT, SPAM_BOT_LOGINS } from './users.ts';

type SpamKind = 'copypasta' | 'emoteWall' | 'advert';

const spamKindChoice = new WeightedChoice<SpamKind>([
  ['copypasta', 0.45],
  ['emoteWall', 0.35],
  ['advert', 0.2],
]);

/** Messages in one burst by a troll, and by a spam bot (bots get banned fast). */
const TROLL_MESSAGES = { min: 10, max: 30 };
const ADVERT_MESSAGES = { min: 2, max: 5 };
/** A spammer re-sends as fast as they can press up and enter. */
const SPAM_INTERVAL_MS = { min: 300, max: 900 };
/** Twitch lets a regular user send 20 messages in any 30 s, so a long burst comes in waves. */
const RATE_LIMIT_MESSAGES = 20;
const RATE_LIMIT_WINDOW_MS = 30_000;
/** Odds that a moderator steps in; the timeout (seconds) a troll gets. */
const MODERATION_ODDS = 0.7;
const TROLL_TIMEOUT_S = 600;
/** Moderators react within this many milliseconds of the last message. */
const MODERATION_DELAY_MS = { min: 1000, max: 8000 };
/**
 * Twitch rejects a message identical to your previous one within 30 s; spammers append an
 * invisible tag character (U+E0000, as Chatterino does) to every other copy to get through.
 */
const DUPLICATE_BYPASS = '\u{E0000}';
/** Gives up looking for a non-moderator troll after this many tries (tiny all-moderator pools). */
const TROLL_PICK_TRIES = 20;

export class SpamBursts {
  private readonly recurrence: Recurrence;

  constructor(random: Random, everyS: Range, fromTs: number) {
    this.recurrence = new Recurrence(random, everyS, fromTs);
  }

  step(second: number, scene: ChannelScene): void {
    if (!this.recurrence.due(second, scene.dynamics)) return;
    const kind = spamKindChoice.pick(scene.content);
    if (kind === 'advert') this.advert(second, scene);
    else this.troll(second, scene, kind);
  }

  private troll(second: number, scene: ChannelScene, kind: SpamKind): void {
    const { content, writer, queue, channel } = scene;
    const slot = pickTroll(scene);
    const line = trollLine(content, kind);
    const count = content.int(TROLL_MESSAGES.min, TROLL_MESSAGES.max + 1);
    const times = sendTimes(content, second + content.int(0, 1000), count);
    times.forEach((at, i) => queue.schedule(at, () => writer.member(slot, at, line(i % 2 === 1))));
    if (content.chance(MODERATION_ODDS)) {
      const last = times[times.length - 1] as number;
      const timeoutTs = last + content.int(MODERATION_DELAY_MS.min, MODERATION_DELAY_MS.max);
      queue.schedule(timeoutTs, () =>
        clearChat(channel.id, timeoutTs, channel.chatters.id(slot), TROLL_TIMEOUT_S),
      );
    }
  }

  /** A spam bot posts its advert a few times and gets banned (no duration = permanent). */
  private advert(second: number, scene: ChannelScene): void {
    const { content, writer, queue, channel } = scene;
    const bot = FIRST_SPAM_BOT + content.int(0, SPAM_BOT_LOGINS.length);
    const advert = content.pick(SPAM_ADVERTS);
    const count = content.int(ADVERT_MESSAGES.min, ADVERT_MESSAGES.max + 1);
    const times = sendTimes(content, second + content.int(0, 1000), count);
    times.forEach((at, i) =>
      queue.schedule(at, () =>
        writer.outsider(bot, at, withBypass(new MessageText().words(advert), i % 2 === 1)),
      ),
    );
    const banTs =
      (times[times.length - 1] as number) +
      content.int(MODERATION_DELAY_MS.min, MODERATION_DELAY_MS.max);
    queue.schedule(banTs, () => clearChat(channel.id, banTs, channel.chatters.directory.id(bot)));
  }
}

/** As fast as a person can re-send, within Twitch's per-user rate limit. */
function sendTimes(random: Random, firstTs: number, count: number): number[] {
  const times = [firstTs];
  for (let i = 1; i < count; i++) {
    const next = (times[i - 1] as number) + random.int(SPAM_INTERVAL_MS.min, SPAM_INTERVAL_MS.max);
    const windowStart = times[i - RATE_LIMIT_MESSAGES];
    times.push(
      windowStart === undefined ? next : Math.max(next, windowStart + RATE_LIMIT_WINDOW_MS),
    );
  }
  return times;
}

/** Trolls are ordinary members, never moderators or VIPs. */
function pickTroll(scene: ChannelScene): number {
  const pool = scene.channel.chatters;
  let slot = scene.writer.pickAnyone();
  for (
    let tries = 1;
    tries < TROLL_PICK_TRIES && pool.hasRole(slot, ROLE_MODERATOR | ROLE_VIP);
    tries++
  ) {
    slot = scene.writer.pickAnyone();
  }
  return slot;
}

/** The same line every time; `bypass` adds the invisible character that dodges Twitch's duplicate check. */
function trollLine(random: Random, kind: SpamKind): (bypass: boolean) => MessageText {
  if (kind === 'emoteWall') {
    const emote = random.pick(EVERYDAY_EMOTES.slice(0, 8));
    const times = random.int(5, 13);
    return (bypass) => withBypass(new MessageText().repeat(emote, times), bypass);
  }
  const pasta = random.pick(COPYPASTAS);
  return (bypass) => withBypass(new MessageText().words(pasta), bypass);
}

function withBypass(text: MessageText, bypass: boolean): MessageText {
  return bypass ? text.words(DUPLICATE_BYPASS) : text;
}

function clearChat(channelId: string, ts: number, userId: string, durationS?: number): Moderation {
  const event: Moderation = {
    v: SCHEMA_VERSION,
    type: 'moderation',
    channel_id: channelId,
    ts,
    kind: 'clearchat',
    user_id: userId,
  };
  if (durationS !== undefined) event.duration_s = durationS;
  return event;
}
