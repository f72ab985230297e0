// One IRC connection of the pool: a twurple ChatClient, the channels assigned to it, their
// paced JOINs, and its own reconnects. twurple redials by itself after a drop (at once, then on
// a Fibonacci schedule without jitter) and ignores Twitch's RECONNECT; here every loss, either
// way, retires that ChatClient and dials a fresh one after a jittered back-off, so that 90
// connections dropped by one outage do not all come back in the same instant. The fresh client
// rejoins this connection's channels through the pacer.
import { ChatClient } from '@twurple/chat';
import type { AuthProvider } from '@twurple/auth';
import type { Logger } from '../../ops/logger.ts';
import { backoffDelay, type BackoffPolicy } from './backoff.ts';
import type { ChatTimers } from './chat-options.ts';
import type { IrcLine } from './irc-tags-to-events.ts';
import { JoinPacer, type JoinRateLimit } from './join-pacer.ts';

export type ReconnectReason = 'dropped' | 'reconnect-requested';

/** What the pool hears from a connection. */
export interface ChatConnectionHooks {
  /** Any line other than the connection's own JOIN / PART, RECONNECT and NOTICE. */
  line(line: IrcLine, receivedTs: number): void;
  /** A line twurple's parser refused (it logs and drops such lines; we count them). */
  unparseable(detail: string): void;
  joinedChanged(): void;
  reconnecting(reason: ReconnectReason, delayMs: number): void;
}

export interface ChatConnectionSettings {
  id: number;
  host: string;
  tls: boolean;
  authProvider?: AuthProvider;
  joinRateLimit: JoinRateLimit;
  backoff: BackoffPolicy;
  clock: () => number;
  timers: ChatTimers;
  random: () => number;
  logger: Logger;
  hooks: ChatConnectionHooks;
}

/** The parts of a parsed ircv3 message the mapping reads; twurple's `Message` fits. */
interface ParsedIrcMessage {
  command: string;
  rawParamValues: string[];
  tags: Map<string, string>;
  prefix?: { nick: string } | undefined;
}

export function ircLineOf(message: ParsedIrcMessage): IrcLine {
  return {
    command: message.command,
    params: message.rawParamValues,
    tags: message.tags,
    prefixNick: message.prefix?.nick,
  };
}

// ircv3 logs a line it cannot parse with this text, then drops it.
const PARSE_ERROR = 'Error parsing message';

export class ChatConnection {
  readonly id: number;
  private readonly settings: ChatConnectionSettings;
  private readonly logger: Logger;
  private readonly pacer: JoinPacer;
  /** Channels assigned to this connection (logins), in the order they were added. */
  private readonly channels = new Set<string>();
  /** Channels whose JOIN Twitch echoed on the current client. */
  private readonly joinedChannels = new Set<string>();
  /** Assigned channels not yet asked for on the current client, in join order. */
  private pending: string[] = [];
  private client: ChatClient | undefined;
  private listeners: { unbind(): void }[] = [];
  private registered = false;
  private failedAttempts = 0;
  private redialTimer: unknown;
  private pumpTimer: unknown;
  private closed = false;

  constructor(settings: ChatConnectionSettings) {
    this.id = settings.id;
    this.settings = settings;
    this.logger = settings.logger.child({ connection: settings.id });
    this.pacer = new JoinPacer(settings.joinRateLimit);
  }

  get channelCount(): number {
    return this.channels.size;
  }

  get joinedCount(): number {
    return this.joinedChannels.size;
  }

  has(channel: string): boolean {
    return this.channels.has(channel);
  }

  /** Dials now. Further dials (after a loss) are this connection's own business. */
  open(): void {
    if (this.closed || this.client !== undefined) return;
    const client = new ChatClient({
      hostName: this.settings.host,
      ssl: this.settings.tls,
      webSocket: false,
      authProvider: this.settings.authProvider,
      readOnly: true,
      rejoinChannelsOnReconnect: false,
      logger: { minLevel: 'warning', custom: (level, message) => this.twurpleLog(level, message) },
    });
    this.client = client;
    this.listeners = [
      client.irc.onRegister(() => this.guard(() => this.registeredOn(client))),
      client.irc.onAnyMessage((message) => this.guard(() => this.received(client, message))),
      client.onDisconnect((manually, reason) => {
        if (!manually) this.guard(() => this.lost('dropped', reason));
      }),
    ];
    client.connect();
  }

  add(channel: string): void {
    if (this.channels.has(channel)) return;
    this.channels.add(channel);
    if (!this.registered) return; // registration queues every assigned channel
    this.pending.push(channel);
    this.pump();
  }

  remove(channel: string): void {
    if (!this.channels.delete(channel)) return;
    const queued = this.pending.indexOf(channel);
    if (queued !== -1) {
      this.pending.splice(queued, 1);
      return;
    }
    // Asked for or joined: leave. A JOIN echo that arrives later is answered with a PART.
    if (this.registered) this.client?.irc.part(`#${channel}`);
    if (this.joinedChannels.delete(channel)) this.settings.hooks.joinedChanged();
  }

  /** Quits for good: no redial. */
  close(): void {
    this.closed = true;
    this.settings.timers.clearTimeout(this.redialTimer);
    this.settings.timers.clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
    const client = this.retire();
    client?.quit();
  }

  private registeredOn(client: ChatClient): void {
    if (client !== this.client) return;
    this.registered = true;
    this.failedAttempts = 0;
    this.pending = [...this.channels];
    this.logger.debug({ channels: this.pending.length }, 'IRC connection registered');
    this.pump();
  }

  /** Sends JOINs while the pacer has tokens, then waits for the next one. */
  private pump(): void {
    const client = this.client;
    if (!this.registered || client === undefined || this.pumpTimer !== undefined) return;
    while (this.pending.length > 0) {
      const waitMs = this.pacer.take(this.settings.clock());
      if (waitMs > 0) {
        this.pumpTimer = this.settings.timers.setTimeout(() => {
          this.pumpTimer = undefined;
          this.pump();
        }, waitMs);
        return;
      }
      const channel = this.pending.shift() ?? '';
      // Straight to the IRC layer: ChatClient.join() would also queue it behind twurple's own
      // wall-clock limiter and wait up to 10 s for each answer.
      client.irc.join(`#${channel}`);
    }
  }

  private received(client: ChatClient, message: ParsedIrcMessage): void {
    if (client !== this.client) return;
    const receivedTs = this.settings.clock();
    const own = message.prefix?.nick === client.irc.currentNick;
    const channel = (message.rawParamValues[0] ?? '').replace(/^#/, '');
    switch (message.command) {
      case 'JOIN':
        if (own) this.joinEchoed(client, channel);
        return;
      case 'PART':
        if (own && this.joinedChannels.delete(channel)) this.settings.hooks.joinedChanged();
        return;
      case 'RECONNECT':
        // Twitch is about to restart this server: move before it drops us.
        this.lost('reconnect-requested');
        return;
      case 'NOTICE':
        if (message.tags.get('msg-id') === 'msg_channel_suspended') {
          this.logger.warn({ channel }, 'Twitch refused to join: channel suspended or unknown');
        }
        return;
    }
    this.settings.hooks.line(ircLineOf(message), receivedTs);
  }

  private joinEchoed(client: ChatClient, channel: string): void {
    if (!this.channels.has(channel)) {
      client.irc.part(`#${channel}`); // left while the JOIN was on its way
      return;
    }
    if (this.joinedChannels.has(channel)) return;
    this.joinedChannels.add(channel);
    this.settings.hooks.joinedChanged();
  }

  private lost(reason: ReconnectReason, error?: Error): void {
    const client = this.retire();
    if (client === undefined || this.closed) return;
    // twurple redials synchronously right after its disconnect event; quitting on the next tick
    // cancels that redial (its socket is closed before it can register) and any retry timer.
    process.nextTick(() => client.quit());
    this.failedAttempts += 1;
    const delayMs = backoffDelay(this.failedAttempts, this.settings.backoff, this.settings.random);
    this.logger.warn(
      { reason, err: error?.message, delayMs, channels: this.channels.size },
      'IRC connection lost; reconnecting',
    );
    this.settings.hooks.reconnecting(reason, delayMs);
    this.redialTimer = this.settings.timers.setTimeout(() => {
      this.redialTimer = undefined;
      this.open();
    }, delayMs);
  }

  /** Detaches the current client (no more events from it) and forgets its joins. */
  private retire(): ChatClient | undefined {
    const client = this.client;
    for (const listener of this.listeners) listener.unbind();
    this.listeners = [];
    this.client = undefined;
    this.registered = false;
    this.pending = [];
    this.settings.timers.clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
    if (this.joinedChannels.size > 0) {
      this.joinedChannels.clear();
      this.settings.hooks.joinedChanged();
    }
    return client;
  }

  private twurpleLog(level: number, message: string): void {
    if (message.startsWith(PARSE_ERROR)) {
      this.settings.hooks.unparseable(message);
      return;
    }
    // LogLevel: 0 critical, 1 error, 2 warning. twurple's warnings repeat what we log ourselves.
    if (level <= 1) this.logger.warn({ twurple: message }, 'twurple chat error');
    else this.logger.debug({ twurple: message }, 'twurple chat');
  }

  /** twurple's event emitter must never see our exceptions: log them and keep reading. */
  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.logger.error({ err: error }, 'chat connection handler failed');
    }
  }
}
