// The clip outbox: one `clip_attempts` row per moment worth clipping, the state machine every
// clipper process drives (see src/clips/README.md), the Create Clip calls made (for the global
// cap and the per-channel cooldown) and the channels Twitch refused to clip for a while.
// Clips gain a feed order (`seq`) and the clip window, so the feed can say where the peak is.
import { sql, type Kysely } from 'kysely';

// Migrations see the database as it was when they were written, not today's schema types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('clip_attempts')
    // One attempt per moment: a second delivery of the same moment finds the row and stops.
    .addColumn('moment_id', 'text', (column) => column.primaryKey())
    .addColumn('channel_id', 'text', (column) => column.notNull())
    .addColumn('channel', 'text', (column) => column.notNull())
    .addColumn('start_ts', 'timestamptz', (column) => column.notNull())
    .addColumn('peak_ts', 'timestamptz', (column) => column.notNull())
    .addColumn('score', 'double precision', (column) => column.notNull())
    .addColumn('title', 'text', (column) => column.notNull())
    .addColumn('state', 'text', (column) =>
      column
        .notNull()
        .check(
          sql`state in ('pending', 'calling', 'uncertain', 'created', 'done', 'failed', 'skipped')`,
        ),
    )
    .addColumn('reason', 'text')
    .addColumn('detail', 'text')
    /** A call made after this could no longer contain the peak. */
    .addColumn('clip_by', 'timestamptz', (column) => column.notNull())
    .addColumn('next_try_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('calls', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('checks', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('called_at', 'timestamptz')
    .addColumn('clip_id', 'text')
    .addColumn('edit_url', 'text')
    .addColumn('duration_s', 'double precision')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  // What a clipper looks for: work that is due.
  await db.schema
    .createIndex('clip_attempts_due')
    .on('clip_attempts')
    .columns(['next_try_at'])
    .where(sql.ref('state'), 'in', ['pending', 'uncertain', 'created'])
    .execute();

  await db.schema
    .createTable('clip_calls')
    .addColumn('id', 'bigserial', (column) => column.primaryKey())
    .addColumn('moment_id', 'text', (column) => column.notNull())
    .addColumn('channel_id', 'text', (column) => column.notNull())
    .addColumn('called_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('clip_calls_recent').on('clip_calls').column('called_at').execute();
  await db.schema
    .createIndex('clip_calls_channel_recent')
    .on('clip_calls')
    .columns(['channel_id', 'called_at'])
    .execute();

  await db.schema
    .createTable('clip_channel_blocks')
    .addColumn('channel_id', 'text', (column) => column.primaryKey())
    .addColumn('blocked_until', 'timestamptz', (column) => column.notNull())
    .addColumn('reason', 'text', (column) => column.notNull())
    .addColumn('blocked_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();

  // A clip may be confirmed before its moment closes (the clip is taken at the peak, the moment
  // row is written when chat calms down), and in distributed mode by another process: the link
  // is the deterministic moment id, not a foreign key that would order the two writes.
  await db.schema.alterTable('clips').dropConstraint('clips_moment_id_fkey').execute();
  await db.schema
    .alterTable('clips')
    // Feed order: the order clips were stored in, so a reader paging through the feed never
    // sees a new clip land between pages already read.
    .addColumn('seq', 'bigserial', (column) => column.notNull().unique())
    .addColumn('peak_ts', 'timestamptz')
    .addColumn('clip_start_ts', 'timestamptz')
    .addColumn('clip_end_ts', 'timestamptz')
    .addColumn('edit_url', 'text')
    .addColumn('video_id', 'text')
    .addColumn('creator_id', 'text')
    .execute();
  await db.schema
    .createIndex('clips_channel_feed')
    .on('clips')
    .columns(['channel_id', 'seq desc'])
    .execute();
}
