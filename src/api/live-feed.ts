// Fan-out of the live feed: one store subscription for the whole server, each message serialised
// once and sent to every connected WebSocket client.
import type { Logger } from '../ops/logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { ChannelMetrics } from '../processing/channel-metrics.ts';
import type { Store } from '../storage/store.ts';
import { toFeedMoment, type FeedMoment } from './feed-clip.ts';

export type LiveMessage =
  | { type: 'hello' }
  | { type: 'moment'; moment: FeedMoment }
  | { type: 'metrics'; metrics: ChannelMetrics[] };

/** The part of a WebSocket the feed uses. */
export interface LiveClient {
  send(data: string): void;
  /** Bytes queued for this client and not yet written to the network. */
  readonly bufferedAmount: number;
}

/**
 * A client with this much unsent data is not keeping up: its messages are dropped (the next
 * metrics message supersedes the last anyway) instead of buffering without bound in our memory.
 */
export const MAX_BUFFERED_BYTES = 256 * 1024;

export class LiveFeed {
  readonly #store: Store;
  readonly #metrics: Metrics;
  readonly #logger: Logger;
  readonly #clients = new Map<LiveClient, { dropping: boolean }>();
  #unsubscribe: (() => Promise<void>)[] = [];

  constructor({ store, metrics, logger }: { store: Store; metrics: Metrics; logger: Logger }) {
    this.#store = store;
    this.#metrics = metrics;
    this.#logger = logger;
  }

  /** Subscribes to the store; after a failure, stop() releases whatever was subscribed. */
  async start(): Promise<void> {
    this.#unsubscribe.push(
      // A moment comes again, with its clip, when a clip of it is stored.
      await this.#store.listenForMoments((moment) =>
        this.#broadcast({ type: 'moment', moment: toFeedMoment(moment) }),
      ),
    );
    this.#unsubscribe.push(
      await this.#store.listenForMetrics((metrics) =>
        this.#broadcast({ type: 'metrics', metrics }),
      ),
    );
  }

  async stop(): Promise<void> {
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = [];
    await Promise.all(unsubscribe.map((stop) => stop()));
  }

  /** Greets the client and feeds it until the returned function is called (on close). */
  add(client: LiveClient): () => void {
    this.#clients.set(client, { dropping: false });
    this.#metrics.websocketClients.set(this.#clients.size);
    client.send(JSON.stringify({ type: 'hello' } satisfies LiveMessage));
    return () => {
      if (this.#clients.delete(client)) this.#metrics.websocketClients.set(this.#clients.size);
    };
  }

  #broadcast(message: LiveMessage): void {
    if (this.#clients.size === 0) return;
    const data = JSON.stringify(message);
    for (const [client, state] of this.#clients) {
      const slow = client.bufferedAmount > MAX_BUFFERED_BYTES;
      if (slow !== state.dropping) {
        state.dropping = slow;
        this.#logger.info(
          { bufferedBytes: client.bufferedAmount },
          slow ? 'live client too slow: dropping its messages' : 'live client caught up',
        );
      }
      if (slow) continue;
      try {
        client.send(data);
      } catch (error) {
        // One broken socket must not starve the others; its close event will remove it.
        this.#logger.debug({ err: error }, 'live client send failed');
      }
    }
  }
}
