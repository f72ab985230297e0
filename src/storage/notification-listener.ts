// PostgreSQL LISTEN on one dedicated connection (a pooled one would be handed to other queries
// and lose its LISTENs). If the connection drops, it reconnects with backoff and listens again;
// notifications sent while it was down are lost, which a live feed tolerates.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from '../ops/logger.ts';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

type NotificationHandler = (payload: string) => void;

export class NotificationListener {
  readonly #url: string;
  readonly #logger: Logger;
  readonly #handlers = new Map<string, Set<NotificationHandler>>();
  #client: pg.Client | null = null;
  #connecting: Promise<pg.Client> | null = null;
  #reconnecting = false;
  #closed = false;
  /** Cuts a reconnect backoff short on close, so a closed listener holds no timer. */
  readonly #closing = new AbortController();

  constructor({ url, logger }: { url: string; logger: Logger }) {
    this.#url = url;
    this.#logger = logger;
  }

  /**
   * Calls `handler` with the payload of every NOTIFY on `channel` until the returned function
   * is called. Throws when the first connection cannot be made.
   */
  async listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>> {
    if (this.#closed) throw new Error('notification listener is closed');
    let handlers = this.#handlers.get(channel);
    const firstForChannel = handlers === undefined;
    if (handlers === undefined) {
      handlers = new Set();
      this.#handlers.set(channel, handlers);
    }
    handlers.add(handler);
    try {
      const client = await this.#connected();
      if (firstForChannel) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (error) {
      this.#remove(channel, handler);
      throw error;
    }
    return async () => {
      if (this.#remove(channel, handler) && this.#client !== null) {
        await this.#client.query(`UNLISTEN ${this.#client.escapeIdentifier(channel)}`);
      }
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#closing.abort();
    this.#handlers.clear();
    const client = this.#client ?? (await this.#connecting?.catch(() => null)) ?? null;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }

  /** True when that was the channel's last handler. */
  #remove(channel: string, handler: NotificationHandler): boolean {
    const handlers = this.#handlers.get(channel);
    if (handlers === undefined || !handlers.delete(handler) || handlers.size > 0) return false;
    this.#handlers.delete(channel);
    return true;
  }

  #connected(): Promise<pg.Client> {
    if (this.#client !== null) return Promise.resolve(this.#client);
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  async #connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.#url,
      application_name: 'streamscout-listener',
    });
    client.on('notification', ({ channel, payload }) => this.#dispatch(channel, payload ?? ''));
    client.on('error', (error) => {
      this.#logger.warn({ err: error }, 'PostgreSQL notification connection failed');
      this.#lost(client);
    });
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      for (const channel of this.#handlers.keys())
        await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
      if (this.#closed) throw new Error('notification listener is closed');
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.#client = client;
    return client;
  }

  #dispatch(channel: string, payload: string): void {
    for (const handler of this.#handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        this.#logger.error({ err: error, channel }, 'notification handler failed');
      }
    }
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client || this.#closed) return;
    this.#client = null;
    void this.#reconnect();
  }

  async #reconnect(): Promise<void> {
    if (this.#reconnecting) return;
    this.#reconnecting = true;
    try {
      for (let delay = FIRST_RETRY_MS; !this.#closed; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
        const waited = await sleep(delay, true, { signal: this.#closing.signal }).catch(
          () => false,
        );
        if (!waited) return;
        try {
          await this.#connected();
          this.#logger.info('PostgreSQL notification connection restored');
          return;
        } catch (error) {
          this.#logger.warn(
            { err: error, retryInMs: delay },
            'PostgreSQL notification reconnect failed',
          );
        }
      }
    } finally {
      this.#reconnecting = false;
    }
  }
}
