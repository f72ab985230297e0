// Commands chatters type and what the channel's bot answers; the bot's timed announcements.
// Detectors must see through both: commands are not reactions, and bots are not people.
import type { ChatMessage } from '../../events/schema.ts';
import type { Broadcast } from './broadcast.ts';
import type { SimChannel } from './channels.ts';
import { MessageText } from './message-text.ts';
import { WeightedChoice, type Random } from './random.ts';
import { Recurrence } from './recurrence.ts';
import type { ChannelScene } from './scene.ts';

/** What a bot needs to answer. */
interface AnswerContext {
  channel: SimChannel;
  broadcast: Broadcast;
  /** Display name of whoever typed the command. */
  asker: string;
  ts: number;
  random: Random;
}

interface Command {
  name: string;
  /** How often chatters type it, relative to the others. */
  weight: number;
  /** The bot's answer; absent when the bot stays silent. */
  answer?: (context: AnswerContext) => string;
}

const COMMANDS: readonly Command[] = [
  {
    name: '!uptime',
    weight: 5,
    answer: (c) => {
      const uptime = formatUptime(c.ts - c.broadcast.startedAt);
      return `@${c.asker} ${c.channel.displayName} has been live for ${uptime}`;
    },
  },
  {
    name: '!drops',
    weight: 3,
    answer: () => 'Drops are enabled! Link your account on the game website and watch 2 hours',
  },
  {
    name: '!discord',
    weight: 3,
    answer: (c) => `Join the community: discord.gg/${c.channel.login}`,
  },
  {
    name: '!socials',
    weight: 2,
    answer: (c) => `Twitter/X: @${c.channel.login} | YouTube: youtube.com/@${c.channel.login}`,
  },
  {
    name: '!followage',
    weight: 3,
    answer: (c) => `@${c.asker} has been following for ${c.random.int(1, 60)} months`,
  },
  { name: '!lurk', weight: 2, answer: (c) => `${c.asker} is now lurking, enjoy the lurk!` },
  { name: '!song', weight: 2, answer: () => 'Current song: the playlist is on shuffle' },
  { name: '!specs', weight: 1, answer: () => 'CPU: Ryzen 7 7800X3D | GPU: RTX 4080 | 32GB' },
  {
    name: '!points',
    weight: 2,
    answer: (c) => `@${c.asker} you have ${c.random.int(100, 90_000)} points`,
  },
  {
    name: '!commands',
    weight: 1,
    answer: (c) => `@${c.asker} commands: !uptime !discord !socials !drops !followage`,
  },
  { name: '!hydrate', weight: 1 },
  { name: '!sub', weight: 1 },
];

const commandChoice = new WeightedChoice(
  COMMANDS.map((command) => [command, command.weight] as const),
);

/** Lines a bot posts on a timer. */
const TIMER_LINES = [
  'Enjoying the stream? Hit follow so you never miss one!',
  'Join the community Discord, link in the panels below',
  'Drops are live, use !drops to learn how to claim them',
  'Remember to hydrate and be nice in chat',
  'New video out on YouTube, check !socials',
];

/** Seconds between a bot's timed messages. */
const TIMER_EVERY_S = { min: 900, max: 1500 };
/** A bot answers within this many milliseconds. */
const ANSWER_DELAY_MS = { min: 250, max: 1500 };

export class ChatBots {
  private readonly timer: Recurrence;

  constructor(random: Random, fromTs: number) {
    this.timer = new Recurrence(random, TIMER_EVERY_S, fromTs);
  }

  /** A member types a command (returned); the channel's bot, if any, answers shortly after. */
  command(scene: ChannelScene, slot: number, ts: number): ChatMessage {
    const { channel, broadcast, writer, queue, content } = scene;
    const command = commandChoice.pick(content);
    const asked = writer.member(slot, ts, new MessageText().words(command.name));
    const bot = channel.chatBots[0];
    const { answer } = command;
    if (bot === undefined || answer === undefined) return asked;
    const answerTs = ts + content.int(ANSWER_DELAY_MS.min, ANSWER_DELAY_MS.max);
    const asker = asked.display_name ?? asked.user;
    queue.schedule(answerTs, () => {
      const text = answer({ channel, broadcast, asker, ts: answerTs, random: content });
      return writer.bot(bot, answerTs, new MessageText().words(text));
    });
    return asked;
  }

  /** Posts the next timed announcement when it is due. */
  step(second: number, scene: ChannelScene): void {
    const bot = scene.channel.chatBots[0];
    if (!this.timer.due(second, scene.dynamics) || bot === undefined) return;
    const { content, writer } = scene;
    const ts = second + content.int(0, 1000);
    scene.queue.schedule(ts, () =>
      writer.bot(bot, ts, new MessageText().words(content.pick(TIMER_LINES))),
    );
  }
}

function formatUptime(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours} hours ${minutes % 60} minutes` : `${minutes} minutes`;
}
