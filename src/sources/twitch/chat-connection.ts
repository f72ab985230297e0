// One IRC connection of the pool: an ircv3 IrcClient, the channels assigned to it, their paced
// JOINs, and its own reconnects. ircv3 redials by itself after a drop (at once, then on a
// Fibonacci schedule without jitter) and ignores Twitch's RECONNECT; here every loss (a drop, a
// server gone silent, RECONNECT, a refused login) retires that IrcClient and dials a fresh one
// after a jittered back-off, so that 90 connections dropped by one outage do not all come back
// in the same instant. The fresh client rejoins this connection's channels through the pacer.
import { IrcClient, type Capability, type Message } from 'ircv3';
import type { Logger } from '../../ops/logger.ts';
import { backoffDelay, type BackoffPolicy } from './backoff.ts';
import type { ChatCredentials, ChatLiveness, ChatTimers, IrcEndpoint } from './chat-options.ts';
import type { IrcLine } from './irc-tags-to-events.ts';
import { JoinPacer, type JoinRateLimit } from './join-pacer.ts';

export type ReconnectReason = 'dropped' | 'reconnect-requested' | 'auth-failed';

/** What the pool hears from a connection. */
export interface ChatConnectionHooks {
  /** Any line other than the connection's own JOIN / PART, RECONNECT and NOTICE. */
  line(line: IrcLine, receivedTs: number): void;
  /** A line ircv3's parser refused (it logs and drops such lines; we count them). */
  unparseable(detail: string): void;
  joinedChanged(): void;
  /** Twitch refused the login; called before the reconnect that follows. */
  authenticationFailed(): void;
  reconnecting(reason: ReconnectReason, delayMs: number): void;
}

export interface ChatConnectionSettings {
  id: number;
  endpoint: IrcEndpoint;
  /** Omitted: anonymous. */
  credentials?: () => Promise<ChatCredentials>;
  liveness: ChatLiveness;
  joinRateLimit: JoinRateLimit;
  backoff: BackoffPolicy;
  clock: () => number;
  timers: ChatTimers;
  random: () => number;
  logger: Logger;
  hooks: ChatConnectionHooks;
}

/** What IRC registration sends: NICK, and PASS when there is a password. */
interface IrcLogin {
  nick: string;
  password?: string;
}

/**
 * Tags on every line, and Twitch's commands (USERNOTICE, CLEARCHAT, CLEARMSG, ROOMSTATE,
 * RECONNECT). Not membership: other chatters' JOIN / PART are of no use here. Twitch's commands
 * need no message classes: ircv3 parses a command it does not know generically, and
 * irc-tags-to-events reads the raw parameters.
 */
const TWITCH_CAPABILITIES: Capability[] = [
  { name: 'twitch.tv/tags' },
  { name: 'twitch.tv/commands' },
];

// Twitch's 004 is `004 <nick> :-`, not the standard five parameters: parsed strictly, every
// login would count an unparseable line.
const NON_CONFORMING_COMMANDS = ['004'];

// ircv3 logs a line it cannot parse with this text, then drops it.
const PARSE_ERROR = 'Error parsing message';

// What Twitch says in a NOTICE to `*` before it closes a connection whose login it refused.
const LOGIN_REFUSED = new Set([
  'login authentication failed',
  'improperly formatted auth',
  'invalid nick',
]);

function ircLineOf(message: Message): IrcLine {
  return {
    command: message.command,
    params: message.rawParamValues,
    tags: message.tags,
    prefixNick: message.prefix?.nick,
  };
}

/**
 * Closes a client's connection for good. ircv3 (0.33.1) always dials through a persistent
 * connection (its `reconnect: false` mode cannot dial at all): after a drop it has already
 * started a new socket, and ending a socket that is still connecting looks to it like one more
 * drop, which it redials, for ever. So a connecting socket is let connect or fail first. Not
 * to be called inside the client's own disconnect event: ircv3 decides to redial right after.
 */
function abandon(client: IrcClient): void {
  if (!client.isConnecting) {
    client.quitAbruptly();
    return;
  }
  const settled = (): void => {
    for (const listener of listeners) listener.unbind();
    process.nextTick(() => abandon(client));
  };
  const listeners = [client.onConnect(settled), client.onDisconnect(settled)];
}

/** Twitch reads anonymously for any `justinfan` followed by digits. */
function anonymousNick(random: () => number): string {
  return `justinfan${10_000 + Math.floor(random() * 90_000)}`;
}

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
  private client: IrcClient | undefined;
  /** Waiting for the credentials of the next dial. */
  private dialling = false;
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

  /** Dials as soon as the login is known. Further dials (after a loss) are this connection's own business. */
  open(): void {
    if (this.closed || this.client !== undefined || this.dialling) return;
    this.dialling = true;
    this.login().then(
      (login) => {
        this.dialling = false;
        this.guard(() => this.dial(login));
      },
      (error: unknown) => {
        this.dialling = false;
        this.logger.warn({ err: error }, 'no chat credentials to log in with');
        this.redialLater('auth-failed');
      },
    );
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
    if (this.registered) this.client?.part(`#${channel}`);
    if (this.joinedChannels.delete(channel)) this.settings.hooks.joinedChanged();
  }

  /** Quits for good: no redial. */
  close(): void {
    this.closed = true;
    this.settings.timers.clearTimeout(this.redialTimer);
    this.settings.timers.clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
    const client = this.retire();
    if (client !== undefined) abandon(client);
  }

  /** The owner's user, asked for at every dial so a refreshed token is used, or anonymous. */
  private async login(): Promise<IrcLogin> {
    const credentials = this.settings.credentials;
    if (credentials === undefined) return { nick: anonymousNick(this.settings.random) };
    const { login, accessToken } = await credentials();
    return { nick: login.toLowerCase(), password: `oauth:${accessToken}` };
  }

  private dial(login: IrcLogin): void {
    if (this.closed) return;
    const { host, port, tls } = this.settings.endpoint;
    const { pingAfterSilenceMs, pongTimeoutMs } = this.settings.liveness;
    const client = new IrcClient({
      connection: {
        hostName: host,
        port,
        secure: tls,
        // ircv3 takes seconds; a silent server costs the connection (a drop), as with a reset.
        pingOnInactivity: pingAfterSilenceMs / 1000,
        pingTimeout: pongTimeoutMs / 1000,
      },
      credentials: login,
      nonConformingCommands: NON_CONFORMING_COMMANDS,
      logger: {
        name: 'ircv3',
        minLevel: 'warning',
        custom: (level, message) => this.ircLog(level, message),
      },
    });
    for (const capability of TWITCH_CAPABILITIES) client.addCapability(capability);
    this.client = client;
    this.listeners = [
      client.onRegister(() => this.guard(() => this.registeredOn(client))),
      client.onAnyMessage((message) => this.guard(() => this.received(client, message))),
      client.onDisconnect((manually, reason) => {
        if (!manually) this.guard(() => this.lost('dropped', reason));
      }),
    ];
    client.connect();
  }

  private registeredOn(client: IrcClient): void {
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
      client.join(`#${this.pending.shift() ?? ''}`);
    }
  }

  private received(client: IrcClient, message: Message): void {
    if (client !== this.client) return;
    const receivedTs = this.settings.clock();
    const own = message.prefix?.nick === client.currentNick;
    const target = message.rawParamValues[0] ?? '';
    const channel = target.replace(/^#/, '');
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
        this.noticed(target, message);
        return;
    }
    this.settings.hooks.line(ircLineOf(message), receivedTs);
  }

  private noticed(target: string, message: Message): void {
    const text = (message.rawParamValues[1] ?? '').toLowerCase();
    if (target === '*' && LOGIN_REFUSED.has(text)) {
      this.loginRefused(text);
    } else if (message.tags.get('msg-id') === 'msg_channel_suspended') {
      this.logger.warn({ channel: target }, 'Twitch refused to join: channel suspended or unknown');
    }
  }

  /** Twitch closes the connection next; the owner may refresh the token before the redial. */
  private loginRefused(text: string): void {
    this.logger.warn({ notice: text }, 'Twitch refused the chat login');
    this.lost('auth-failed');
    this.settings.hooks.authenticationFailed();
  }

  private joinEchoed(client: IrcClient, channel: string): void {
    if (!this.channels.has(channel)) {
      client.part(`#${channel}`); // left while the JOIN was on its way
      return;
    }
    if (this.joinedChannels.has(channel)) return;
    this.joinedChannels.add(channel);
    this.settings.hooks.joinedChanged();
  }

  private lost(reason: ReconnectReason, error?: Error): void {
    const client = this.retire();
    if (client === undefined || this.closed) return;
    // Possibly inside the client's disconnect event: its own redial starts right after it.
    process.nextTick(() => abandon(client));
    this.redialLater(reason, error);
  }

  private redialLater(reason: ReconnectReason, error?: Error): void {
    if (this.closed) return;
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
  private retire(): IrcClient | undefined {
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

  private ircLog(level: number, message: string): void {
    if (message.startsWith(PARSE_ERROR)) {
      this.settings.hooks.unparseable(message);
      return;
    }
    // LogLevel: 0 critical, 1 error, 2 warning. ircv3's warnings repeat what we log ourselves.
    if (level <= 1) this.logger.warn({ ircv3: message }, 'IRC client error');
    else this.logger.debug({ ircv3: message }, 'IRC client');
  }

  /** ircv3's event emitter must never see our exceptions: log them and keep reading. */
  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.logger.error({ err: error }, 'chat connection handler failed');
    }
  }
}
