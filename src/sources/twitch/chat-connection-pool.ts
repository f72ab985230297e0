// Reads the chat of many channels over a pool of IRC connections (at most 90 channels each) and
// publishes what it reads as canonical events on `chat-messages`, keyed by channel id. Driven by
// discovery's `onChanges` (joins, leaves) or by an explicit channel list. Each line is mapped
// by the pure irc-tags-to-events; a line that cannot be mapped is counted and logged, never
// fatal; a message id seen before is dropped.
import { LogThrottle } from '../../ops/log-throttle.ts';
import { silentLogger, type Logger } from '../../ops/logger.ts';
import { ChatConnection, type ReconnectReason } from './chat-connection.ts';
import {
  CHAT_DEFAULTS,
  ircEndpoint,
  REAL_TIMERS,
  type ChatPoolOptions,
  type IrcEndpoint,
} from './chat-options.ts';
import { ircLineToEvent, type IrcLine, type MalformedReason } from './irc-tags-to-events.ts';
import { DEFAULT_JOIN_RATE_LIMIT } from './join-pacer.ts';
import { PublishQueue } from '../publish-queue.ts';
import { MessageDedup } from './message-dedup.ts';
import { RecentRate } from './recent-rate.ts';
import { TwitchMetrics } from './twitch-metrics.ts';

const REJECT_LOG_INTERVAL_MS = 10_000;

/** The window of chat_message_rate. */
export const CHAT_RATE_WINDOW_MS = 10_000;

export class ChatConnectionPool {
  private readonly options: ChatPoolOptions;
  private readonly endpoint: IrcEndpoint;
  private readonly maxChannels: number;
  private readonly clock: () => number;
  private readonly metrics: TwitchMetrics;
  private readonly logger: Logger;
  private readonly dedup: MessageDedup;
  private readonly rate = new RecentRate(CHAT_RATE_WINDOW_MS);
  /** Open connections, oldest first: new channels fill the oldest one with room. */
  private readonly connections: ChatConnection[] = [];
  /** channel login -> the connection it is assigned to. */
  private readonly assignedTo = new Map<string, ChatConnection>();
  /** channel login -> room id, learned from tagged lines; CLEARMSG comes without one. */
  private readonly roomIds = new Map<string, string>();
  private nextConnectionId = 1;
  private readonly queue: PublishQueue;
  /** One warning per reason per 10 s: irc_lines_rejected_total counts every line. */
  private readonly rejectLogs: LogThrottle;
  private stopped = false;

  constructor(options: ChatPoolOptions) {
    const maxChannels = options.maxChannelsPerConnection ?? CHAT_DEFAULTS.maxChannelsPerConnection;
    if (!Number.isInteger(maxChannels) || maxChannels < 1) {
      throw new RangeError(
        `channels per connection must be a whole number >= 1, got ${maxChannels}`,
      );
    }
    this.options = options;
    this.endpoint = ircEndpoint(options);
    this.maxChannels = maxChannels;
    this.clock = options.clock ?? Date.now;
    this.metrics = options.metrics ?? new TwitchMetrics();
    this.logger = options.logger ?? silentLogger;
    this.dedup = new MessageDedup(options.dedupCapacity);
    this.rejectLogs = new LogThrottle(REJECT_LOG_INTERVAL_MS, this.clock);
    const timers = options.timers ?? REAL_TIMERS;
    this.queue = new PublishQueue({
      sink: options.publisher,
      onDropped: (count) => this.metrics.chatEventsDropped.inc(count),
      setTimeout: (callback, ms) => timers.setTimeout(callback, ms),
      clearTimeout: (handle) => timers.clearTimeout(handle),
      logger: this.logger,
    });
    this.metrics.readChatRateFrom(() => this.rate.perSecond(this.clock()));
  }

  /** Channels (logins) assigned to connections, joined or still on their way. */
  get channels(): string[] {
    return [...this.assignedTo.keys()];
  }

  get connectionCount(): number {
    return this.connections.length;
  }

  /** Channels whose JOIN Twitch confirmed, over all connections. */
  get joinedCount(): number {
    return this.connections.reduce((sum, connection) => sum + connection.joinedCount, 0);
  }

  /** Joins and leaves channels (logins, with or without '#'): discovery's onChanges fits. */
  update(joins: readonly string[], leaves: readonly string[] = []): void {
    if (this.stopped) return;
    for (const channel of leaves.map(normalize)) this.leave(channel);
    for (const channel of joins.map(normalize)) this.join(channel);
  }

  /** Reads exactly these channels from now on (the explicit `--channels` list). */
  setChannels(channels: readonly string[]): void {
    const wanted = new Set(channels.map(normalize));
    const current = this.assignedTo;
    const leaves = [...current.keys()].filter((channel) => !wanted.has(channel));
    const joins = [...wanted].filter((channel) => !current.has(channel));
    this.update(joins, leaves);
  }

  /** Closes every connection and waits until what was read has been handed to the publisher. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const connection of this.connections.splice(0)) connection.close();
    this.assignedTo.clear();
    this.metrics.ircJoinedChannels.set(0);
    await this.queue.drain();
  }

  private join(channel: string): void {
    if (channel === '' || this.assignedTo.has(channel)) return;
    const roomy = this.connections.find((c) => c.channelCount < this.maxChannels);
    const connection = roomy ?? this.openConnection();
    connection.add(channel);
    this.assignedTo.set(channel, connection);
    if (roomy === undefined) connection.open();
  }

  private leave(channel: string): void {
    const connection = this.assignedTo.get(channel);
    if (connection === undefined) return;
    connection.remove(channel);
    this.assignedTo.delete(channel);
    this.roomIds.delete(channel);
    if (connection.channelCount === 0) {
      connection.close();
      this.connections.splice(this.connections.indexOf(connection), 1);
      this.joinedChanged();
    }
  }

  private openConnection(): ChatConnection {
    const connection = new ChatConnection({
      id: this.nextConnectionId++,
      endpoint: this.endpoint,
      credentials: this.options.credentials,
      liveness: this.options.liveness ?? CHAT_DEFAULTS.liveness,
      joinRateLimit: this.options.joinRateLimit ?? DEFAULT_JOIN_RATE_LIMIT,
      backoff: this.options.backoff ?? CHAT_DEFAULTS.backoff,
      clock: this.clock,
      timers: this.options.timers ?? REAL_TIMERS,
      random: this.options.random ?? Math.random,
      logger: this.logger,
      hooks: {
        line: (line, receivedTs) => this.received(line, receivedTs),
        unparseable: (detail) => this.rejected('unparseable', detail),
        joinedChanged: () => this.joinedChanged(),
        authenticationFailed: () => this.options.onAuthenticationFailed?.(),
        reconnecting: (reason: ReconnectReason) => this.metrics.ircReconnects.inc({ reason }),
      },
    });
    this.connections.push(connection);
    return connection;
  }

  private received(line: IrcLine, receivedTs: number): void {
    this.learnRoomId(line);
    const outcome = ircLineToEvent(line, {
      receivedTs,
      roomIdOf: (channel) => this.roomIds.get(channel),
    });
    if (outcome.kind === 'ignored') return;
    if (outcome.kind === 'malformed') {
      this.rejected(outcome.reason, outcome.detail);
      return;
    }
    const event = outcome.event;
    if ((event.type === 'chat' || event.type === 'notice') && !this.dedup.firstTime(event.id)) {
      this.logger.debug({ id: event.id, channel: event.channel }, 'duplicate message dropped');
      return;
    }
    if (event.type === 'chat') {
      this.metrics.chatMessages.inc();
      this.rate.record(receivedTs);
    }
    // Everything read in one pass over the sockets goes out as one batch, in arrival order.
    this.queue.push(event);
  }

  private rejected(reason: MalformedReason | 'unparseable', detail: string): void {
    this.metrics.ircLinesRejected.inc({ reason });
    const admitted = this.rejectLogs.admit(reason);
    if (!admitted.log) return;
    this.logger.warn(
      { reason, detail: detail.slice(0, 500), alsoSkippedSinceLastLog: admitted.suppressed },
      'skipped an IRC line',
    );
  }

  private learnRoomId(line: IrcLine): void {
    const roomId = line.tags.get('room-id');
    const target = line.params[0];
    if (roomId === undefined || roomId === '' || target === undefined || !target.startsWith('#'))
      return;
    const channel = target.slice(1);
    if (this.assignedTo.has(channel)) this.roomIds.set(channel, roomId);
  }

  private joinedChanged(): void {
    this.metrics.ircJoinedChannels.set(this.joinedCount);
  }
}

function normalize(channel: string): string {
  return channel.trim().replace(/^#/, '').toLowerCase();
}
