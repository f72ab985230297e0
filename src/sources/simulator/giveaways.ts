// A giveaway: the bot says "type !enter", and dozens of different chatters type the same
// command within a minute. Many people, one message, no highlight: only the command gives it away.
import type { Range } from './channels.ts';
import { MessageText } from './message-text.ts';
import type { Random } from './random.ts';
import { Recurrence } from './recurrence.ts';
import type { ChannelScene } from './scene.ts';

const ENTRY_COMMANDS = ['!enter', '!join', '!giveaway', '!ticket'];
/** Seconds a giveaway stays open. */
const OPEN_FOR_MS = 60_000;
/** Share of the chatter pool that enters, capped by how busy the chat normally is. */
const ENTRANT_SHARE = 0.3;
const ENTRANTS_BASE = 15;
const ENTRANTS_PER_RATE = 25;
/** Chatters need a moment to read the announcement before the first entries come. */
const READING_MS = 500;
/** Entries pile in right after the announcement (gamma-distributed delays, ~12 s mean). */
const ENTRY_SHAPE = 1.5;
const ENTRY_SCALE_MS = 8000;

export class Giveaways {
  private readonly recurrence: Recurrence;
  /** A channel runs one giveaway at a time. */
  private openUntil = -Infinity;

  constructor(random: Random, everyS: Range, fromTs: number) {
    this.recurrence = new Recurrence(random, everyS, fromTs);
  }

  /** `chatRate` is the channel's current normal rate: busier chats draw more entrants. */
  step(second: number, chatRate: number, scene: ChannelScene): void {
    if (!this.recurrence.due(second, scene.dynamics) || second < this.openUntil) return;
    const { channel, content, writer, queue } = scene;
    const host = channel.chatBots[0];
    if (host === undefined) return;
    const command = content.pick(ENTRY_COMMANDS);
    const ts = second + content.int(0, 1000);
    const announcement = `Giveaway is open! Type ${command} to join, the winner is drawn in 60 seconds`;
    queue.schedule(ts, () => writer.bot(host, ts, new MessageText().words(announcement)));
    const pool = channel.chatters;
    const entrants = Math.min(
      Math.round(pool.size * ENTRANT_SHARE),
      Math.round(ENTRANTS_BASE + ENTRANTS_PER_RATE * chatRate),
    );
    // Consecutive pool slots: distinct people, as Twitch bots count one entry per account.
    const first = content.int(0, pool.size);
    for (let i = 0; i < entrants; i++) {
      const delay = Math.min(OPEN_FOR_MS - 1000, content.gamma(ENTRY_SHAPE, ENTRY_SCALE_MS));
      const at = ts + READING_MS + Math.round(delay);
      const slot = (first + i) % pool.size;
      queue.schedule(at, () => writer.member(slot, at, new MessageText().words(command)));
    }
    const winner = pool.displayName((first + content.int(0, Math.max(1, entrants))) % pool.size);
    const drawTs = ts + OPEN_FOR_MS;
    this.openUntil = drawTs;
    const congratulations = `Congratulations @${winner}, you won the giveaway!`;
    queue.schedule(drawTs, () =>
      writer.bot(host, drawTs, new MessageText().words(congratulations)),
    );
  }
}
