// Streamers, their streams, viewer counts, live-metrics windows, moments and clips.
// Migrations are forward-only: a released migration is never edited, a new one is added.
import { sql, type Kysely } from 'kysely';

// Migrations see the database as it was when they were written, not today's schema types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('streamers')
    .addColumn('id', 'text', (column) => column.primaryKey())
    // Not unique: Twitch lets a login be renamed and later reused by another account.
    .addColumn('login', 'text', (column) => column.notNull())
    .addColumn('display_name', 'text')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('streamers_login').on('streamers').column('login').execute();

  await db.schema
    .createTable('streams')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('channel_id', 'text', (column) => column.notNull().references('streamers.id'))
    .addColumn('title', 'text')
    .addColumn('game', 'text')
    .addColumn('language', 'text')
    .addColumn('started_at', 'timestamptz', (column) => column.notNull())
    .addColumn('ended_at', 'timestamptz')
    .addColumn('viewers', 'integer')
    .addColumn('peak_viewers', 'integer')
    .addColumn('viewers_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('streams_channel_newest')
    .on('streams')
    .columns(['channel_id', 'started_at desc'])
    .execute();

  // Time series tables carry no foreign key: viewer samples may arrive before the channel's
  // login is known, and these are the hottest write paths.
  await db.schema
    .createTable('viewer_counts')
    .addColumn('channel_id', 'text', (column) => column.notNull())
    .addColumn('ts', 'timestamptz', (column) => column.notNull())
    .addColumn('viewers', 'integer', (column) => column.notNull())
    .addPrimaryKeyConstraint('viewer_counts_pk', ['channel_id', 'ts'])
    .execute();

  // The primary key (channel_id, ts) also serves "newest window of a channel" by a backward index scan.
  await db.schema
    .createTable('stream_metrics')
    .addColumn('channel_id', 'text', (column) => column.notNull())
    .addColumn('ts', 'timestamptz', (column) => column.notNull())
    .addColumn('window_ms', 'integer', (column) => column.notNull())
    .addColumn('messages', 'integer', (column) => column.notNull())
    .addColumn('chat_rate', 'double precision', (column) => column.notNull())
    .addColumn('unique_chatters', 'integer', (column) => column.notNull())
    .addColumn('viewers', 'integer')
    .addColumn('top_emotes', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
    .addPrimaryKeyConstraint('stream_metrics_pk', ['channel_id', 'ts'])
    .execute();

  await db.schema
    .createTable('moments')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('channel_id', 'text', (column) => column.notNull().references('streamers.id'))
    .addColumn('channel', 'text', (column) => column.notNull())
    .addColumn('start_ts', 'timestamptz', (column) => column.notNull())
    .addColumn('peak_ts', 'timestamptz', (column) => column.notNull())
    .addColumn('end_ts', 'timestamptz', (column) => column.notNull())
    .addColumn('score', 'double precision', (column) => column.notNull())
    .addColumn('explanation', 'jsonb', (column) => column.notNull())
    .addColumn('detected_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  // Both match the keyset order of the moments feed (start_ts desc, id desc), overall and per channel.
  await db.schema
    .createIndex('moments_newest')
    .on('moments')
    .columns(['start_ts desc', 'id desc'])
    .execute();
  await db.schema
    .createIndex('moments_channel_newest')
    .on('moments')
    .columns(['channel_id', 'start_ts desc', 'id desc'])
    .execute();

  await db.schema
    .createTable('clips')
    .addColumn('clip_id', 'text', (column) => column.primaryKey())
    // Unique: exactly one clip per moment, whatever retries or duplicate deliveries happen upstream.
    .addColumn('moment_id', 'text', (column) => column.unique().references('moments.id'))
    .addColumn('channel_id', 'text', (column) => column.notNull().references('streamers.id'))
    .addColumn('url', 'text', (column) => column.notNull())
    .addColumn('embed_url', 'text', (column) => column.notNull())
    .addColumn('thumbnail_url', 'text')
    .addColumn('title', 'text')
    .addColumn('detected_at', 'timestamptz', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('intensity', 'double precision', (column) => column.notNull())
    .addColumn('duration', 'double precision')
    .addColumn('vod_offset', 'integer')
    .execute();
  await db.schema
    .createIndex('clips_newest')
    .on('clips')
    .columns(['detected_at desc', 'clip_id desc'])
    .execute();
}
