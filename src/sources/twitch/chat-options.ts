// What the chat side can be told, with its defaults. Nothing here reads the environment: the
// wiring maps TWITCH_IRC_HOST (and a user token, if any) onto these fields.
import type { AuthProvider } from '@twurple/auth';
import type { Logger } from '../../ops/logger.ts';
import type { BackoffPolicy } from './backoff.ts';
import type { EventSink } from '../publish-queue.ts';
import type { JoinRateLimit } from './join-pacer.ts';
import type { TwitchMetrics } from './twitch-metrics.ts';

export const TWITCH_IRC_HOST = 'irc.chat.twitch.tv';

/** Timers the chat side waits with (join pacing, reconnect back-off); tests pass a manual one. */
export interface ChatTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: ChatTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface ChatPoolOptions {
  /** Receives chat, notice and moderation events (topic `chat-messages`). `EventPublisher` fits. */
  publisher: EventSink;
  /**
   * IRC server host. Default irc.chat.twitch.tv. twurple dials port 6697 with TLS, 6667
   * without: a fake server must listen on 6667.
   */
  host?: string;
  /** Default: TLS for Twitch's own host, plain TCP for any other (the fakes speak no TLS). */
  tls?: boolean;
  /**
   * A twurple auth provider with a user token for the `chat` intent. Omitted: anonymous,
   * read-only `justinfanNNNNN` connections. Note: twurple validates the token against
   * id.twitch.tv itself; that call does not follow TWITCH_AUTH_BASE_URL.
   */
  authProvider?: AuthProvider;
  /** Channels per connection. Default 90 (Twitch's guidance: under 100). */
  maxChannelsPerConnection?: number;
  /** JOINs per window per connection. Default 20 per 11 s (Twitch: 20 per 10 s). */
  joinRateLimit?: JoinRateLimit;
  /** Reconnect delays (jittered, growing per failed attempt). Default 1 s doubling to 60 s. */
  backoff?: BackoffPolicy;
  /** How many recent message ids duplicates are checked against. Default 50 000. */
  dedupCapacity?: number;
  /** Epoch ms for received_ts, pacing and the message rate. Default Date.now. */
  clock?: () => number;
  /** Default: Node's timers. */
  timers?: ChatTimers;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  /** Default: a private registry. Share discovery's so one registry exports both. */
  metrics?: TwitchMetrics;
  logger?: Logger;
}

export const CHAT_DEFAULTS = {
  host: TWITCH_IRC_HOST,
  maxChannelsPerConnection: 90,
  backoff: { initialMs: 1000, maxMs: 60_000 },
} as const;
