// The Twitch source as a whole: discovery (when there are app credentials) deciding which chats
// the pooled IRC reader follows, or a fixed channel list read anonymously. Both publish through
// one publisher onto the event log and count into one set of Twitch metrics.
import { silentLogger, type Logger } from '../../ops/logger.ts';
import { ChatConnectionPool } from './chat-connection-pool.ts';
import type { EventSink } from '../publish-queue.ts';
import type { StreamDiscoveryOptions } from './discovery-options.ts';
import { HelixClient, type HelixClientOptions } from './helix-client.ts';
import { chatUserLogin, type ChatUserLogin } from './chat-user-login.ts';
import { StreamDiscovery } from './stream-discovery.ts';
import type { TwitchMetrics } from './twitch-metrics.ts';
import type { UserTokenFile, ValidatedUserToken } from './user-token-file.ts';

/** What discovery is told besides its client, publisher, metrics and logger. */
export type DiscoverySettings = Omit<
  StreamDiscoveryOptions,
  'client' | 'publisher' | 'onChanges' | 'metrics' | 'logger'
>;

export interface TwitchSourceOptions {
  publisher: EventSink;
  metrics: TwitchMetrics;
  logger?: Logger;
  /** The chat server (TWITCH_IRC_HOST); without a port, the chat side's default. */
  irc: { host: string; port?: number };
  /**
   * App credentials and base addresses: discovery finds the live streams. Omitted: only the
   * `channels` are read, anonymously, and no lifecycle or viewer events are published.
   */
  helix?: Pick<HelixClientOptions, 'clientId' | 'clientSecret' | 'apiBaseUrl' | 'authBaseUrl'>;
  /**
   * Explicit channels (logins). With discovery they are the only candidates and are all read
   * while live, whatever their rank; without it they are read from the start.
   */
  channels: readonly string[];
  discovery?: DiscoverySettings;
  /**
   * The user token file (TWITCH_TOKEN_FILE): chat logs in as its user when the token has the
   * `chat:read` scope. Omitted, or without that scope: anonymous, read-only chat.
   */
  userToken?: UserTokenFile;
}

/** The source could not start: a wrong setting or an unreachable Twitch. One line for the user. */
export class TwitchStartError extends Error {
  override name = 'TwitchStartError';
}

export class TwitchSource {
  private readonly chat: ChatConnectionPool;
  private readonly discovery: StreamDiscovery | undefined;

  private constructor(chat: ChatConnectionPool, discovery: StreamDiscovery | undefined) {
    this.chat = chat;
    this.discovery = discovery;
  }

  /**
   * Starts reading. With discovery, the first Get Streams poll is awaited so that wrong
   * credentials or base addresses fail the start with a TwitchStartError instead of a warning
   * every two minutes.
   */
  static async start(options: TwitchSourceOptions): Promise<TwitchSource> {
    const logger = options.logger ?? silentLogger;
    const { publisher, metrics, channels } = options;
    const { host, port } = options.irc;
    const login = await chatLogin(options.userToken, logger);
    const chat = new ChatConnectionPool({ publisher, host, port, metrics, logger, ...login });
    if (options.helix === undefined) {
      if (channels.length === 0) throw new TwitchStartError('no Twitch channels to read');
      chat.setChannels(channels);
      logger.info({ channels }, 'reading the listed Twitch chats');
      return new TwitchSource(chat, undefined);
    }
    const client = new HelixClient({ ...options.helix, metrics, logger });
    const explicit = channels.length > 0 ? { channels, allow: channels } : {};
    const discovery = new StreamDiscovery({
      ...options.discovery,
      ...explicit,
      client,
      publisher,
      metrics,
      logger,
      onChanges: ({ joins, leaves }) => chat.update(joins, leaves),
    });
    const first = await discovery.startWithFirstPoll();
    if (!first.ok) {
      await discovery.stop();
      await chat.stop();
      const reason = first.error instanceof Error ? first.error.message : String(first.error);
      throw new TwitchStartError(`Twitch stream discovery failed at start: ${reason}`);
    }
    logger.info(
      { live: discovery.streams.length, watched: discovery.watched.length },
      'discovering live Twitch streams',
    );
    return new TwitchSource(chat, discovery);
  }

  /** Stops polling first (no new joins), then closes chat and waits for its last publish. */
  async stop(): Promise<void> {
    await this.discovery?.stop();
    await this.chat.stop();
  }
}

/**
 * Chat credentials from the token file, checked with Twitch now so that an unusable file stops
 * the start with one line. A token without `chat:read` is meant for clips only: chat stays
 * anonymous, which reads the same lines.
 */
async function chatLogin(
  tokens: UserTokenFile | undefined,
  logger: Logger,
): Promise<ChatUserLogin | undefined> {
  if (tokens === undefined) return undefined;
  let token: ValidatedUserToken;
  try {
    token = await tokens.current();
  } catch (error) {
    throw new TwitchStartError(error instanceof Error ? error.message : String(error));
  }
  if (!token.scopes.includes('chat:read')) {
    logger.warn(
      { login: token.login, scopes: token.scopes },
      'the user token has no chat:read scope; reading chat anonymously',
    );
    return undefined;
  }
  logger.info({ login: token.login }, 'reading chat as the user of TWITCH_TOKEN_FILE');
  return chatUserLogin(tokens);
}
