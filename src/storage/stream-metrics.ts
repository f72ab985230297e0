// Live-metrics windows in PostgreSQL: one row per (channel, window end), upserted in batches
// and announced to listeners; read back per channel for charts.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ChannelMetrics } from '../processing/channel-metrics.ts';
import type { MetricsQuery } from './store.ts';
import { lastPerKeySorted } from './batch-rows.ts';
import type { Database, StreamMetricsTable } from './schema-types.ts';
import { findStreamer, upsertStreamers } from './streamers.ts';

export const METRICS_CHANNEL = 'streamscout_metrics';
/**
 * A NOTIFY payload is capped at 8000 bytes. A key is `["<channel id>",<epoch ms>]`: about 30 bytes
 * for a Twitch id, 150 at the 128-character maximum the event schema allows.
 */
const KEYS_PER_NOTIFICATION = 50;

export interface MetricsKey {
  channel_id: string;
  ts: number;
}

/**
 * A window's viewer count: the processor's, else the channel's newest sample at or before the
 * window's end within `VIEWERS_SAMPLE_MAX_AGE`. With several processors, a channel's chat and
 * its lifecycle (viewer samples) are read by different ones (the topics are partitioned apart),
 * so the processor writing a window often has no count; the samples are all in `viewer_counts`.
 */
const VIEWERS_SAMPLE_MAX_AGE = '5 minutes';

/** A window's columns as read back: its own, with `viewers` filled in (see viewersOfWindow). */
const WINDOW_COLUMNS = [
  'stream_metrics.channel_id',
  'stream_metrics.ts',
  'stream_metrics.window_ms',
  'stream_metrics.messages',
  'stream_metrics.chat_rate',
  'stream_metrics.unique_chatters',
  'stream_metrics.top_emotes',
] as const;

function viewersOfWindow() {
  return sql<number | null>`coalesce(stream_metrics.viewers, (
    select viewer_counts.viewers from viewer_counts
    where viewer_counts.channel_id = stream_metrics.channel_id
      and viewer_counts.ts <= stream_metrics.ts
      and viewer_counts.ts > stream_metrics.ts - ${sql.lit(VIEWERS_SAMPLE_MAX_AGE)}::interval
    order by viewer_counts.ts desc
    limit 1))`.as('viewers');
}

/**
 * Windows per statement. A statement takes at most 65,535 parameters; a window takes 8 and its
 * channel 3. A processor catching up on a backlog of 1,000 channels closes ~100 windows per second
 * of event time, so one batch can hold many thousands.
 */
const WINDOWS_PER_STATEMENT = 4_000;

/**
 * Like saveMoments, a statement upserts channels and windows and NOTIFYs the keys that changed;
 * one per `WINDOWS_PER_STATEMENT` windows. Each is idempotent, so a batch that fails part way is
 * written again whole.
 */
export async function saveMetrics(db: Kysely<Database>, metrics: ChannelMetrics[]): Promise<void> {
  const windows = lastPerKeySorted(metrics, (window) => `${window.channel_id}\u0000${window.ts}`);
  for (let start = 0; start < windows.length; start += WINDOWS_PER_STATEMENT)
    await saveWindows(db, windows.slice(start, start + WINDOWS_PER_STATEMENT));
}

/** One statement: `metrics` are distinct windows, sorted by key. */
async function saveWindows(db: Kysely<Database>, metrics: ChannelMetrics[]): Promise<void> {
  const rows = metrics.map(toRow);
  await db
    .with('saved_streamers', (query) =>
      upsertStreamers(
        query,
        metrics.map((window) => ({ id: window.channel_id, login: window.channel })),
      ),
    )
    .with('saved', (query) =>
      query
        .insertInto('stream_metrics')
        .values(rows)
        .onConflict((conflict) =>
          conflict
            .columns(['channel_id', 'ts'])
            .doUpdateSet((eb) => ({
              window_ms: eb.ref('excluded.window_ms'),
              messages: eb.ref('excluded.messages'),
              chat_rate: eb.ref('excluded.chat_rate'),
              unique_chatters: eb.ref('excluded.unique_chatters'),
              viewers: eb.ref('excluded.viewers'),
              top_emotes: eb.ref('excluded.top_emotes'),
            }))
            .where(
              sql<boolean>`(stream_metrics.window_ms, stream_metrics.messages, stream_metrics.chat_rate,
                  stream_metrics.unique_chatters, stream_metrics.viewers, stream_metrics.top_emotes)
                is distinct from (excluded.window_ms, excluded.messages, excluded.chat_rate,
                  excluded.unique_chatters, excluded.viewers, excluded.top_emotes)`,
            ),
        )
        .returning(['channel_id', 'ts']),
    )
    .selectFrom((query) =>
      query
        .selectFrom('saved')
        .select([
          'saved.channel_id',
          'saved.ts',
          sql<number>`(row_number() over () - 1) / ${sql.lit(KEYS_PER_NOTIFICATION)}`.as('chunk'),
        ])
        .as('numbered'),
    )
    .select(
      sql`pg_notify(${METRICS_CHANNEL}, json_agg(json_build_array(
        numbered.channel_id, (extract(epoch from numbered.ts) * 1000)::bigint))::text)`.as(
        'notified',
      ),
    )
    .groupBy('numbered.chunk')
    .execute();
}

/** The newest `limit` windows within [from, to), returned oldest to newest. */
export async function channelMetrics(
  db: Kysely<Database>,
  query: MetricsQuery,
): Promise<{ channel_id: string; channel: string; metrics: ChannelMetrics[] } | null> {
  const streamer = await findStreamer(db, query.channel);
  if (streamer === null) return null;
  let select = db
    .selectFrom('stream_metrics')
    .select([...WINDOW_COLUMNS, viewersOfWindow()])
    .where('channel_id', '=', streamer.id)
    .orderBy('ts', 'desc')
    .limit(query.limit);
  if (query.from !== undefined) select = select.where('ts', '>=', new Date(query.from));
  if (query.to !== undefined) select = select.where('ts', '<', new Date(query.to));
  const rows = await select.execute();
  return {
    channel_id: streamer.id,
    channel: streamer.login,
    metrics: rows.reverse().map((row) => toChannelMetrics(row, streamer.login)),
  };
}

/** Windows by key, oldest first, with each channel's current login. */
export async function metricsByKeys(
  db: Kysely<Database>,
  keys: MetricsKey[],
): Promise<ChannelMetrics[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('stream_metrics')
    .innerJoin(
      sql<{ channel_id: string; ts: Date }>`(select * from unnest(
        ${keys.map((key) => key.channel_id)}::text[],
        ${keys.map((key) => new Date(key.ts))}::timestamptz[]) as key(channel_id, ts))`.as(
        'wanted',
      ),
      (join) =>
        join
          .onRef('wanted.channel_id', '=', 'stream_metrics.channel_id')
          .onRef('wanted.ts', '=', 'stream_metrics.ts'),
    )
    .innerJoin('streamers', 'streamers.id', 'stream_metrics.channel_id')
    .select([...WINDOW_COLUMNS, viewersOfWindow(), 'streamers.login'])
    .orderBy('stream_metrics.ts')
    .orderBy('stream_metrics.channel_id')
    .execute();
  return rows.map((row) => toChannelMetrics(row, row.login));
}

function toRow(window: ChannelMetrics) {
  return {
    channel_id: window.channel_id,
    ts: new Date(window.ts),
    window_ms: window.window_ms,
    messages: window.messages,
    chat_rate: window.chat_rate,
    unique_chatters: window.unique_chatters,
    viewers: window.viewers,
    top_emotes: JSON.stringify(window.top_emotes),
  };
}

function toChannelMetrics(row: Selectable<StreamMetricsTable>, channel: string): ChannelMetrics {
  return {
    channel_id: row.channel_id,
    channel,
    ts: row.ts.getTime(),
    window_ms: row.window_ms,
    messages: row.messages,
    chat_rate: row.chat_rate,
    unique_chatters: row.unique_chatters,
    viewers: row.viewers,
    top_emotes: row.top_emotes,
  };
}
