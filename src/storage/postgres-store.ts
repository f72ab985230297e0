// The Store on PostgreSQL: the same code and SQL for the embedded server and any external one.
import { sql, type Kysely } from 'kysely';
import type { Lifecycle, Viewers } from '../events/schema.ts';
import type { Logger } from '../ops/logger.ts';
import type { ChannelMetrics } from '../processing/channel-metrics.ts';
import type { Moment } from '../processing/moment.ts';
import type { ClipCandidate } from '../clips/clip-candidate.ts';
import { ClipOutbox, recordClipCandidates } from './clip-outbox.ts';
import { listClipPage, listClips, saveClip } from './clips.ts';
import { createDatabase } from './database.ts';
import { applyLifecycle, recordViewers } from './lifecycle.ts';
import { migrateToLatest } from './migrate.ts';
import {
  MOMENTS_CHANNEL,
  endLiveMoments,
  listMoments,
  momentsByIds,
  saveMoments,
} from './moments.ts';
import { NotificationListener } from './notification-listener.ts';
import type { Database } from './schema-types.ts';
import type {
  Clip,
  ClipPage,
  ClipPageQuery,
  ClipQuery,
  MetricsQuery,
  MomentPage,
  MomentQuery,
  MomentWithClip,
  Store,
  StreamSummary,
} from './store.ts';
import { listStreams } from './stream-summaries.ts';
import {
  METRICS_CHANNEL,
  channelMetrics,
  metricsByKeys,
  saveMetrics,
  type MetricsKey,
} from './stream-metrics.ts';

/** Connects to `url` and migrates the schema to the latest version. */
export async function openStore({
  url,
  logger,
}: {
  url: string;
  logger: Logger;
}): Promise<PostgresStore> {
  const db = createDatabase({ url, logger });
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database schema migrated');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new PostgresStore({ db, url, logger });
}

export class PostgresStore implements Store {
  readonly #db: Kysely<Database>;
  readonly #logger: Logger;
  readonly #listener: NotificationListener;
  /** Row fetches for notifications, in arrival order; close() lets them finish before the pool goes. */
  #deliveries = Promise.resolve();
  #closing: Promise<void> | undefined;

  constructor({ db, url, logger }: { db: Kysely<Database>; url: string; logger: Logger }) {
    this.#db = db;
    this.#logger = logger;
    this.#listener = new NotificationListener({ url, logger });
  }

  applyLifecycle(events: Lifecycle[]): Promise<void> {
    return applyLifecycle(this.#db, events);
  }

  recordViewers(events: Viewers[]): Promise<void> {
    return recordViewers(this.#db, events);
  }

  saveMetrics(metrics: ChannelMetrics[]): Promise<void> {
    return saveMetrics(this.#db, metrics);
  }

  saveMoments(moments: readonly Moment[], live?: readonly Moment[]): Promise<void> {
    return saveMoments(this.#db, moments, live);
  }

  /** See endLiveMoments in moments.ts: only for a process whose event log did not outlive it. */
  endLiveMoments(): Promise<number> {
    return endLiveMoments(this.#db);
  }

  saveClip(clip: Clip): Promise<void> {
    return saveClip(this.#db, clip);
  }

  recordClipCandidates(candidates: ClipCandidate[]): Promise<void> {
    return recordClipCandidates(this.#db, candidates);
  }

  /** The clip outbox on this store's database, for a clipper named `owner` in leases. */
  clipOutbox(options: { owner: string; leaseMs: number }): ClipOutbox {
    return new ClipOutbox({ db: this.#db, ...options });
  }

  listStreams(): Promise<StreamSummary[]> {
    return listStreams(this.#db);
  }

  channelMetrics(
    query: MetricsQuery,
  ): Promise<{ channel_id: string; channel: string; metrics: ChannelMetrics[] } | null> {
    return channelMetrics(this.#db, query);
  }

  listMoments(query: MomentQuery): Promise<MomentPage> {
    return listMoments(this.#db, query);
  }

  listClips(query: ClipQuery): Promise<{ clips: Clip[]; total_count: number }> {
    return listClips(this.#db, query);
  }

  listClipPage(query: ClipPageQuery): Promise<ClipPage> {
    return listClipPage(this.#db, query);
  }

  listenForMoments(onMoment: (moment: MomentWithClip) => void): Promise<() => Promise<void>> {
    return this.#listenForRows(
      MOMENTS_CHANNEL,
      (ids: string[]) => momentsByIds(this.#db, ids),
      (moments) => {
        for (const moment of moments) onMoment(moment);
      },
    );
  }

  listenForMetrics(onMetrics: (metrics: ChannelMetrics[]) => void): Promise<() => Promise<void>> {
    return this.#listenForRows(
      METRICS_CHANNEL,
      (keys: [string, number][]) =>
        metricsByKeys(
          this.#db,
          keys.map(([channel_id, ts]): MetricsKey => ({ channel_id, ts })),
        ),
      (metrics) => {
        if (metrics.length > 0) onMetrics(metrics);
      },
    );
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  /** Idempotent: the app's shutdown and a failed start may both call it. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#listener.close();
      await this.#deliveries;
      await this.#db.destroy();
    })();
    return this.#closing;
  }

  /**
   * Notifications carry only keys (payloads are capped at 8000 bytes); the rows are fetched here.
   * Fetches run one after another so subscribers see rows in the order they were announced.
   */
  #listenForRows<Key, Row>(
    channel: string,
    fetch: (keys: Key[]) => Promise<Row[]>,
    deliver: (rows: Row[]) => void,
  ): Promise<() => Promise<void>> {
    return this.#listener.listen(channel, (payload) => {
      this.#deliveries = this.#deliveries.then(async () => {
        try {
          deliver(await fetch(JSON.parse(payload) as Key[]));
        } catch (error) {
          this.#logger.error({ err: error, channel }, 'could not deliver notified rows');
        }
      });
    });
  }
}
