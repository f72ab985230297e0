// The stream list: every known channel with its newest stream and its newest metrics window,
// in one query. Each LATERAL subquery is one backward step of an index
// (streams_channel_newest, the stream_metrics primary key, moments_channel_newest), so the cost
// grows with the number of channels, not with the millions of metrics rows behind them.
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema-types.ts';
import type { StreamSummary } from './store.ts';

export async function listStreams(db: Kysely<Database>): Promise<StreamSummary[]> {
  const rows = await db
    .selectFrom('streamers')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('streams')
          .select(['title', 'game', 'language', 'started_at', 'ended_at', 'viewers'])
          .whereRef('streams.channel_id', '=', 'streamers.id')
          .orderBy('started_at', 'desc')
          .limit(1)
          .as('stream'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('stream_metrics')
          .select(['ts', 'chat_rate', 'unique_chatters', 'viewers'])
          .whereRef('stream_metrics.channel_id', '=', 'streamers.id')
          .orderBy('ts', 'desc')
          .limit(1)
          .as('latest'),
      (join) => join.onTrue(),
    )
    .select([
      'streamers.id as channel_id',
      'streamers.login as channel',
      'streamers.display_name',
      sql<boolean>`stream.started_at is not null and stream.ended_at is null`.as('live'),
      'stream.title',
      'stream.game',
      'stream.language',
      'stream.started_at',
      sql<number | null>`coalesce(stream.viewers, latest.viewers)`.as('viewers'),
      'latest.chat_rate',
      'latest.unique_chatters',
      'latest.ts as metrics_ts',
      // "Recent" is relative to the channel's newest window, so a replayed or paused channel
      // still shows the moments around its last activity.
      sql<number>`(
        select count(*)::int from moments
        where moments.channel_id = streamers.id
          and moments.start_ts > coalesce(latest.ts, now()) - interval '1 hour'
          and moments.start_ts <= coalesce(latest.ts, now())
      )`.as('recent_moments'),
    ])
    .orderBy('live', 'desc')
    .orderBy(sql`coalesce(stream.viewers, latest.viewers)`, (order) => order.desc().nullsLast())
    .orderBy('streamers.login')
    .execute();
  return rows.map((row) => ({
    channel_id: row.channel_id,
    channel: row.channel,
    display_name: row.display_name,
    live: row.live,
    title: row.title,
    game: row.game,
    language: row.language,
    started_at: row.started_at?.getTime() ?? null,
    viewers: row.viewers,
    chat_rate: row.chat_rate,
    unique_chatters: row.unique_chatters,
    metrics_ts: row.metrics_ts?.getTime() ?? null,
    recent_moments: row.recent_moments,
  }));
}
