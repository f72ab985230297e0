// What the chat side can be told, with its defaults. Nothing here reads the environment: the
// wiring maps TWITCH_IRC_HOST (and a user's chat login, if any) onto these fields.
import type { Logger } from '../../ops/logger.ts';
import type { BackoffPolicy } from './backoff.ts';
import type { EventSink } from '../publish-queue.ts';
import type { JoinRateLimit } from './join-pacer.ts';
import type { TwitchMetrics } from './twitch-metrics.ts';

export const TWITCH_IRC_HOST = 'irc.chat.twitch.tv';
/** Twitch's chat ports: TLS on 6697, plain text on 6667. */
export const IRC_TLS_PORT = 6697;
export const IRC_PLAIN_PORT = 6667;

/** Timers the chat side waits with (join pacing, reconnect back-off); tests pass a manual one. */
export interface ChatTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: ChatTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A Twitch user's chat login. */
export interface ChatCredentials {
  login: string;
  /** A user access token with the `chat:read` scope, without the `oauth:` prefix. */
  accessToken: string;
}

/**
 * How a connection notices a server that went silent without closing (a half-open link):
 * after this much silence it PINGs, and gives the connection up when no PONG follows in time.
 * Measured on Node's own timers, not on `ChatPoolOptions.timers`.
 */
export interface ChatLiveness {
  pingAfterSilenceMs: number;
  pongTimeoutMs: number;
}

export interface ChatPoolOptions {
  /** Receives chat, notice and moderation events (topic `chat-messages`). `EventPublisher` fits. */
  publisher: EventSink;
  /** IRC server host. Default irc.chat.twitch.tv. */
  host?: string;
  /** Default 6697 with TLS, 6667 without. */
  port?: number;
  /**
   * Default: TLS for Twitch's own host (unless on its plain-text port 6667), plain TCP for any
   * other (the fakes speak no TLS).
   */
  tls?: boolean;
  /**
   * Logs in as this user, asked for again at every dial so that a refreshed token is used on
   * the next one. Omitted: anonymous, read-only `justinfanNNNNN` connections, which read the
   * same lines. A rejection counts as a failed login and is retried after the back-off.
   */
  credentials?: () => Promise<ChatCredentials>;
  /**
   * Twitch refused the login (`NOTICE * :Login authentication failed`): the token is wrong,
   * revoked or expired. Called before the redial asks `credentials` again, so the owner can
   * refresh the token in between.
   */
  onAuthenticationFailed?: () => void;
  /** Default: PING after 60 s of silence, give up 10 s later. */
  liveness?: ChatLiveness;
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
  /** Jitter source in [0, 1), also for the anonymous nick. Default Math.random. */
  random?: () => number;
  /** Default: a private registry. Share discovery's so one registry exports both. */
  metrics?: TwitchMetrics;
  logger?: Logger;
}

export const CHAT_DEFAULTS = {
  host: TWITCH_IRC_HOST,
  maxChannelsPerConnection: 90,
  backoff: { initialMs: 1000, maxMs: 60_000 },
  liveness: { pingAfterSilenceMs: 60_000, pongTimeoutMs: 10_000 },
} as const;

/** Where connections dial. */
export interface IrcEndpoint {
  host: string;
  port: number;
  tls: boolean;
}

export function ircEndpoint(options: Pick<ChatPoolOptions, 'host' | 'port' | 'tls'>): IrcEndpoint {
  const host = options.host ?? CHAT_DEFAULTS.host;
  const tls = options.tls ?? (host === TWITCH_IRC_HOST && options.port !== IRC_PLAIN_PORT);
  return { host, port: options.port ?? (tls ? IRC_TLS_PORT : IRC_PLAIN_PORT), tls };
}
