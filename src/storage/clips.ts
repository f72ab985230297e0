// Clips of moments: the feed read with a keyset cursor on the order clips were stored in, and the
// seed-compatible feed (offset pagination, as the seed's API had).
import { sql, type Kysely, type Selectable } from 'kysely';
import { decodeClipCursor, encodeClipCursor } from './clip-cursor.ts';
import { InvalidCursorError } from './keyset-cursor.ts';
import { MOMENTS_CHANNEL } from './moments.ts';
import type { ClipsTable, Database } from './schema-types.ts';
import type { Clip, ClipPage, ClipPageQuery, ClipQuery } from './store.ts';
import { channelIdOf, upsertStreamers } from './streamers.ts';

/**
 * Upsert by clip_id. The unique moment_id makes a second clip for the same moment fail loudly.
 * The clip's moment is announced to moment listeners again (on commit, inside a transaction),
 * so a moment already shown gets its clip. That happens whether or not the moment row exists: a
 * moment saved while this transaction ran went out without the clip, and the fetch this
 * notification triggers sees both rows (with no moment row yet, it fetches nothing).
 */
export async function saveClip(db: Kysely<Database>, clip: Clip): Promise<void> {
  const row = {
    clip_id: clip.clip_id,
    moment_id: clip.moment_id,
    channel_id: clip.channel_id,
    url: clip.url,
    embed_url: clip.embed_url,
    thumbnail_url: clip.thumbnail_url,
    title: clip.title,
    detected_at: new Date(clip.detected_at),
    created_at: new Date(clip.created_at),
    intensity: clip.intensity,
    duration: clip.duration,
    vod_offset: clip.vod_offset,
    peak_ts: dateOrNull(clip.peak_ts),
    clip_start_ts: dateOrNull(clip.clip_start_ts),
    clip_end_ts: dateOrNull(clip.clip_end_ts),
    edit_url: clip.edit_url,
    video_id: clip.video_id,
    creator_id: clip.creator_id,
  };
  await db
    .with('saved_streamer', (query) =>
      upsertStreamers(query, [{ id: clip.channel_id, login: clip.channel }]),
    )
    .with('saved', (query) =>
      query
        .insertInto('clips')
        .values(row)
        .onConflict((conflict) =>
          conflict.column('clip_id').doUpdateSet((eb) => ({
            moment_id: eb.ref('excluded.moment_id'),
            channel_id: eb.ref('excluded.channel_id'),
            url: eb.ref('excluded.url'),
            embed_url: eb.ref('excluded.embed_url'),
            thumbnail_url: eb.ref('excluded.thumbnail_url'),
            title: eb.ref('excluded.title'),
            detected_at: eb.ref('excluded.detected_at'),
            intensity: eb.ref('excluded.intensity'),
            duration: eb.ref('excluded.duration'),
            vod_offset: eb.ref('excluded.vod_offset'),
            peak_ts: eb.ref('excluded.peak_ts'),
            clip_start_ts: eb.ref('excluded.clip_start_ts'),
            clip_end_ts: eb.ref('excluded.clip_end_ts'),
            edit_url: eb.ref('excluded.edit_url'),
            video_id: eb.ref('excluded.video_id'),
            creator_id: eb.ref('excluded.creator_id'),
          })),
        )
        .returning('moment_id'),
    )
    .selectFrom('saved')
    .select(
      sql`pg_notify(${MOMENTS_CHANNEL}, json_build_array(saved.moment_id)::text)`.as('notified'),
    )
    .where('saved.moment_id', 'is not', null)
    .execute();
}

/** Newest detected first; `total_count` counts every clip matching the filters. */
export async function listClips(
  db: Kysely<Database>,
  query: ClipQuery,
): Promise<{ clips: Clip[]; total_count: number }> {
  let matching = db.selectFrom('clips').innerJoin('streamers', 'streamers.id', 'clips.channel_id');
  if (query.start !== undefined)
    matching = matching.where('clips.detected_at', '>=', new Date(query.start));
  if (query.end !== undefined)
    matching = matching.where('clips.detected_at', '<', new Date(query.end));
  if (query.minIntensity !== undefined)
    matching = matching.where('clips.intensity', '>=', query.minIntensity);
  const [rows, total] = await Promise.all([
    matching
      .selectAll('clips')
      .select('streamers.login as channel')
      .orderBy('clips.detected_at', 'desc')
      .orderBy('clips.clip_id', 'desc')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    matching.select(sql<number>`count(*)::int`.as('count')).executeTakeFirstOrThrow(),
  ]);
  return { total_count: total.count, clips: rows.map(toClip) };
}

/**
 * Newest stored first (seq desc). Filters narrow the walk down `seq` (or down a channel's
 * clips_channel_feed index); the cursor is the seq of the last clip shown. Re-saving a clip
 * (an upsert) keeps its seq, so a clip updated while a reader pages does not move either.
 */
export async function listClipPage(db: Kysely<Database>, query: ClipPageQuery): Promise<ClipPage> {
  const below = query.cursor === undefined ? undefined : decodeClipCursor(query.cursor);
  if (below === null) throw new InvalidCursorError('cursor is not one this server issued');
  let select = db
    .selectFrom('clips')
    .innerJoin('streamers', 'streamers.id', 'clips.channel_id')
    .selectAll('clips')
    .select('streamers.login as channel')
    .orderBy('clips.seq', 'desc')
    // One row more than asked tells whether another page exists.
    .limit(query.limit + 1);
  if (query.channel !== undefined)
    select = select.where('clips.channel_id', '=', channelIdOf(db, query.channel));
  if (query.from !== undefined)
    select = select.where('clips.detected_at', '>=', new Date(query.from));
  if (query.to !== undefined) select = select.where('clips.detected_at', '<', new Date(query.to));
  if (query.minScore !== undefined) select = select.where('clips.intensity', '>=', query.minScore);
  if (below !== undefined) select = select.where('clips.seq', '<', below);
  const rows = await select.execute();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    clips: page.map(toClip),
    next_cursor:
      rows.length > query.limit && last !== undefined ? encodeClipCursor(last.seq) : null,
  };
}

function toClip(row: Selectable<ClipsTable> & { channel: string }): Clip {
  return {
    clip_id: row.clip_id,
    moment_id: row.moment_id,
    channel_id: row.channel_id,
    channel: row.channel,
    url: row.url,
    embed_url: row.embed_url,
    thumbnail_url: row.thumbnail_url,
    title: row.title,
    detected_at: row.detected_at.getTime(),
    created_at: row.created_at.getTime(),
    intensity: row.intensity,
    duration: row.duration,
    vod_offset: row.vod_offset,
    peak_ts: row.peak_ts?.getTime() ?? null,
    clip_start_ts: row.clip_start_ts?.getTime() ?? null,
    clip_end_ts: row.clip_end_ts?.getTime() ?? null,
    edit_url: row.edit_url,
    video_id: row.video_id,
    creator_id: row.creator_id,
  };
}

function dateOrNull(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}
