// A handful of fake live channels that chat on their own: tagged PRIVMSGs at a few messages
// per second each, occasional bursts of reactions (the moments Stream Scout should find), now
// and then a sub, resub, gift, raid or timeout, and viewer counts that drift between polls.
// Deterministic for a seed: `tick(ms)` advances it by hand (tests); `start()` runs it on a timer
// (serve.ts).
import { Random } from '../../../src/sources/simulator/random.ts';
import type { FakeChatter } from './chat-lines.ts';
import type { FakeHelixServer } from './fake-helix-server.ts';
import type { FakeIrcServer } from './fake-irc-server.ts';

export interface FakeLiveChannel {
  login: string;
  gameName: string;
  title: string;
  viewers: number;
  language: string;
  /** Mean chat messages per second outside bursts. */
  rate: number;
}

export const DEFAULT_LIVE_CHANNELS: readonly FakeLiveChannel[] = [
  {
    login: 'fake_speedrunner',
    gameName: 'Minecraft',
    title: 'any% WR attempts',
    viewers: 18_400,
    language: 'en',
    rate: 6,
  },
  {
    login: 'fake_justchatting',
    gameName: 'Just Chatting',
    title: 'morning coffee chat',
    viewers: 12_100,
    language: 'en',
    rate: 5,
  },
  {
    login: 'fake_valorantpro',
    gameName: 'VALORANT',
    title: 'ranked grind to radiant',
    viewers: 9_300,
    language: 'en',
    rate: 4,
  },
  {
    login: 'fake_lolcoach',
    gameName: 'League of Legends',
    title: 'coaching viewers | !vod',
    viewers: 6_800,
    language: 'en',
    rate: 3,
  },
  {
    login: 'fake_rpserver',
    gameName: 'Grand Theft Auto V',
    title: 'RP day 212',
    viewers: 4_200,
    language: 'en',
    rate: 3,
  },
  {
    login: 'fake_streamerde',
    gameName: 'Counter-Strike',
    title: 'Faceit Level 10',
    viewers: 3_100,
    language: 'de',
    rate: 2,
  },
  {
    login: 'fake_pixelartist',
    gameName: 'Art',
    title: 'drawing your pets',
    viewers: 900,
    language: 'en',
    rate: 1,
  },
  {
    login: 'fake_lofimusic',
    gameName: 'Music',
    title: 'lofi beats 24/7',
    viewers: 450,
    language: 'en',
    rate: 0.5,
  },
];

export interface FakeLiveChannelsOptions {
  irc: FakeIrcServer;
  /** When given, the channels are published as live streams and their viewer counts drift. */
  helix?: FakeHelixServer;
  channels?: readonly FakeLiveChannel[];
  seed?: number;
  /** Chance per second per channel that a burst of reactions starts. Default 1/90. */
  burstChancePerSecond?: number;
}

const CHAT_LINES = [
  'lol',
  'hello chat',
  'what rank is this',
  'Kappa',
  'no way',
  'first time here, this is great',
  'LUL',
  'how long has the stream been on?',
  'gg',
  'that was clean',
  'SeemsGood',
  'HeyGuys',
  'is this live?',
  'chat is so fast today',
  'what game is next?',
  'can you say hi to my friend',
  'BibleThump',
  '!uptime',
  'nice',
  'W',
  '😂😂😂',
  'ez',
  'this song slaps',
  'NotLikeThis',
];
const BURST_LINES = [
  'LUL LUL LUL',
  'KEKW',
  'PogChamp',
  'NO WAY',
  'OMEGALUL',
  'Kreygasm',
  'W W W',
  'CLIP IT',
];
const NAME_PARTS_A = [
  'happy',
  'dark',
  'pixel',
  'lazy',
  'cosmic',
  'salty',
  'quiet',
  'turbo',
  'mega',
  'tiny',
];
const NAME_PARTS_B = [
  'otter',
  'gamer',
  'panda',
  'wizard',
  'frog',
  'viking',
  'ghost',
  'toast',
  'bean',
  'fox',
];
const COLORS = ['#FF0000', '#1E90FF', '#00FF7F', '#DAA520', '#9ACD32', '#FF69B4', '#8A2BE2', ''];

interface ChannelState {
  channel: FakeLiveChannel;
  viewers: number;
  burstLeftMs: number;
  burstLine: string;
  carry: number;
  chatters: FakeChatter[];
  recent: { id: string; login: string; text: string }[];
}

export class FakeLiveChannels {
  private readonly irc: FakeIrcServer;
  private readonly helix: FakeHelixServer | undefined;
  private readonly random: () => number;
  private readonly burstChancePerSecond: number;
  private readonly states: ChannelState[];
  private timer: NodeJS.Timeout | undefined = undefined;
  private sinceViewerUpdateMs = 0;
  /** Messages sent so far (PRIVMSG only), whether or not anyone had joined. */
  messagesSent = 0;

  constructor(options: FakeLiveChannelsOptions) {
    this.irc = options.irc;
    this.helix = options.helix;
    // The simulator's seeded generator: a seed replays the same chat.
    const random = new Random(options.seed ?? 1);
    this.random = () => random.next();
    this.burstChancePerSecond = options.burstChancePerSecond ?? 1 / 90;
    this.states = (options.channels ?? DEFAULT_LIVE_CHANNELS).map((channel) => ({
      channel,
      viewers: channel.viewers,
      burstLeftMs: 0,
      burstLine: '',
      carry: 0,
      chatters: this.makeChatters(150),
      recent: [],
    }));
    this.publishStreams();
  }

  get channels(): string[] {
    return this.states.map((s) => s.channel.login);
  }

  /** Sets the Helix live streams from the channels' current state. */
  publishStreams(): void {
    this.helix?.setStreams(
      this.states.map((s) => ({
        user_login: s.channel.login,
        game_name: s.channel.gameName,
        title: s.channel.title,
        viewer_count: Math.round(s.viewers),
        language: s.channel.language,
      })),
    );
  }

  /** Ends `login`'s stream: it stops chatting and is no longer among Helix's live streams. */
  endStream(login: string): void {
    const index = this.states.findIndex((s) => s.channel.login === login);
    if (index === -1) throw new Error(`no fake live channel ${login}`);
    this.states.splice(index, 1);
    this.publishStreams();
  }

  /** Starts a burst of reactions in `login`'s chat now, lasting `durationMs`: a moment on cue. */
  burst(login: string, durationMs = 10_000): void {
    const state = this.states.find((s) => s.channel.login === login);
    if (state === undefined) throw new Error(`no fake live channel ${login}`);
    state.burstLeftMs = durationMs;
    state.burstLine = this.pick(BURST_LINES);
  }

  /** Advances the simulation by `elapsedMs`; returns how many chat messages it sent. */
  tick(elapsedMs: number): number {
    let sent = 0;
    const seconds = elapsedMs / 1000;
    for (const state of this.states) {
      if (state.burstLeftMs > 0) state.burstLeftMs -= elapsedMs;
      else if (this.random() < this.burstChancePerSecond * seconds) {
        state.burstLeftMs = 5000 + this.random() * 10_000;
        state.burstLine = this.pick(BURST_LINES);
      }
      const bursting = state.burstLeftMs > 0;
      state.carry += state.channel.rate * (bursting ? 8 : 1) * seconds;
      while (state.carry >= 1) {
        state.carry -= 1;
        this.chat(state, bursting);
        sent += 1;
      }
      this.maybeEvent(state, seconds);
    }
    this.sinceViewerUpdateMs += elapsedMs;
    if (this.sinceViewerUpdateMs >= 30_000) {
      this.sinceViewerUpdateMs = 0;
      for (const state of this.states) {
        const boost = state.burstLeftMs > 0 ? 1.03 : 1;
        state.viewers = Math.max(1, state.viewers * boost * (0.95 + this.random() * 0.1));
      }
      this.publishStreams();
    }
    this.messagesSent += sent;
    return sent;
  }

  start(intervalMs = 100): void {
    if (this.timer !== undefined) return;
    let last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      this.tick(now - last);
      last = now;
    }, intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private chat(state: ChannelState, bursting: boolean): void {
    const chatter = this.pick(state.chatters);
    const text = bursting && this.random() < 0.8 ? state.burstLine : this.pick(CHAT_LINES);
    const roll = this.random();
    const result = this.irc.sendPrivmsg(state.channel.login, {
      ...chatter,
      text,
      firstMsg: roll < 0.02,
      returningChatter: roll >= 0.02 && roll < 0.06,
      ...(roll > 0.995 ? { bits: 100, text: `Cheer100 ${text}` } : {}),
    });
    state.recent.push({ id: result.id ?? '', login: chatter.user, text });
    if (state.recent.length > 50) state.recent.shift();
  }

  private maybeEvent(state: ChannelState, seconds: number): void {
    const login = state.channel.login;
    const roll = this.random() / seconds;
    if (roll < 0.01) {
      this.irc.sendUsernotice(login, { type: 'sub', ...this.pick(state.chatters) });
    } else if (roll < 0.02) {
      this.irc.sendUsernotice(login, {
        type: 'resub',
        ...this.pick(state.chatters),
        cumulativeMonths: 2 + Math.floor(this.random() * 40),
        streakMonths: 1 + Math.floor(this.random() * 10),
        text: this.pick(CHAT_LINES),
      });
    } else if (roll < 0.024) {
      this.irc.sendUsernotice(login, {
        type: 'subgift',
        ...this.pick(state.chatters),
        recipient: this.pick(state.chatters).user,
        senderCount: 1 + Math.floor(this.random() * 20),
      });
    } else if (roll < 0.025) {
      const others = this.states.filter((s) => s !== state);
      if (others.length > 0) {
        this.irc.sendUsernotice(login, {
          type: 'raid',
          user: this.pick(others).channel.login,
          viewerCount: 10 + Math.floor(this.random() * 500),
        });
      }
    } else if (roll < 0.027) {
      const victim = state.recent.at(-1);
      if (victim !== undefined) {
        this.irc.sendClearmsg(login, {
          login: victim.login,
          targetMsgId: victim.id,
          text: victim.text,
        });
      }
    } else if (roll < 0.028) {
      this.irc.sendClearchat(login, { user: this.pick(state.chatters).user, banDuration: 600 });
    }
  }

  private makeChatters(count: number): FakeChatter[] {
    const chatters: FakeChatter[] = [];
    for (let i = 0; i < count; i += 1) {
      const name = `${this.pick(NAME_PARTS_A)}${this.pick(NAME_PARTS_B)}${Math.floor(this.random() * 1000)}`;
      const roll = this.random();
      const months = 1 + Math.floor(this.random() * 48);
      const badges: Record<string, string> = {};
      const badgeInfo: Record<string, string> = {};
      if (roll < 0.02) badges.moderator = '1';
      else if (roll < 0.03) badges.vip = '1';
      if (roll < 0.3) {
        badges.subscriber = String(months >= 12 ? 12 : months >= 6 ? 6 : months >= 3 ? 3 : 0);
        badgeInfo.subscriber = String(months);
      }
      if (this.random() < 0.05) badges.premium = '1';
      chatters.push({
        user: name,
        displayName: `${name.charAt(0).toUpperCase()}${name.slice(1)}`,
        color: this.pick(COLORS),
        badges,
        badgeInfo,
      });
    }
    return chatters;
  }

  private pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}
