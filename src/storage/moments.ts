// Moments in PostgreSQL: idempotent batched upserts that announce what changed, and the
// newest-first feed read with a keyset cursor, each moment with its clip.
import { sql, type Kysely } from 'kysely';
import type { Moment, MomentExplanation } from '../processing/moment.ts';
import type { MomentClip, MomentPage, MomentQuery, MomentWithClip } from './store.ts';
import { lastPerKeySorted } from './batch-rows.ts';
import { InvalidCursorError } from './keyset-cursor.ts';
import { decodeMomentCursor, encodeMomentCursor } from './moment-cursor.ts';
import type { Database } from './schema-types.ts';
import { channelIdOf, upsertStreamers } from './streamers.ts';

export const MOMENTS_CHANNEL = 'streamscout_moments';
/** A NOTIFY payload is capped at 8000 bytes; a JSON-quoted 32-char id takes 35. */
const IDS_PER_NOTIFICATION = 200;

/**
 * One statement: upserts the channels and the moments, then NOTIFYs the ids of the rows that
 * were inserted or actually changed, so re-processing the same input wakes no listener.
 * The notification is sent on commit, so a listener never fetches a row it cannot see yet.
 *
 * `moments` ended: their rows are final. `live` are still open (what is known so far): their
 * rows are marked live and replaced when the moment ends, under the same id. A live row never
 * replaces a final one (a replayed opening after the end, a batch retried), and in one batch a
 * moment that both opened and ended is written final.
 */
export async function saveMoments(
  db: Kysely<Database>,
  moments: readonly Moment[],
  live: readonly Moment[] = [],
): Promise<void> {
  if (moments.length === 0 && live.length === 0) return;
  // The last row per id is kept, and ended moments come last: one that also opened in this
  // batch is written final.
  const rows = lastPerKeySorted(
    [
      ...live.map((moment) => toRow(moment, true)),
      ...moments.map((moment) => toRow(moment, false)),
    ],
    (row) => row.id,
  );
  const all = [...live, ...moments];
  await db
    .with('saved_streamers', (query) =>
      upsertStreamers(
        query,
        all.map((moment) => ({ id: moment.channel_id, login: moment.channel })),
      ),
    )
    .with('saved', (query) =>
      query
        .insertInto('moments')
        .values(rows)
        .onConflict((conflict) =>
          conflict
            .column('id')
            .doUpdateSet((eb) => ({
              channel_id: eb.ref('excluded.channel_id'),
              channel: eb.ref('excluded.channel'),
              start_ts: eb.ref('excluded.start_ts'),
              peak_ts: eb.ref('excluded.peak_ts'),
              end_ts: eb.ref('excluded.end_ts'),
              score: eb.ref('excluded.score'),
              explanation: eb.ref('excluded.explanation'),
              live: eb.ref('excluded.live'),
              // When it first became final: a final row written again keeps its time.
              final_at: sql<Date | null>`coalesce(moments.final_at, excluded.final_at)`,
            }))
            .where(sql<boolean>`(moments.live or not excluded.live)`)
            .where(
              sql<boolean>`(moments.channel, moments.start_ts, moments.peak_ts, moments.end_ts, moments.score, moments.explanation, moments.live)
                is distinct from (excluded.channel, excluded.start_ts, excluded.peak_ts, excluded.end_ts, excluded.score, excluded.explanation, excluded.live)`,
            ),
        )
        .returning('id'),
    )
    .selectFrom((query) =>
      query
        .selectFrom('saved')
        .select([
          'saved.id',
          sql<number>`(row_number() over () - 1) / ${sql.lit(IDS_PER_NOTIFICATION)}`.as('chunk'),
        ])
        .as('numbered'),
    )
    .select(sql`pg_notify(${MOMENTS_CHANNEL}, json_agg(numbered.id)::text)`.as('notified'))
    .groupBy('numbered.chunk')
    .execute();
  // A clip is taken at a moment's peak, often before the moment ends with its final score: the
  // clip feed filters on the moment's score, so its clip follows.
  await db
    .updateTable('clips')
    .from('moments')
    .set((eb) => ({ intensity: eb.ref('moments.score') }))
    .whereRef('clips.moment_id', '=', 'moments.id')
    .where(
      'moments.id',
      'in',
      rows.map((row) => row.id),
    )
    .where(sql<boolean>`clips.intensity is distinct from moments.score`)
    .execute();
}

/**
 * Makes every live row final as it stands, and says how many there were. For a process whose
 * event log died with its predecessor (embedded mode's in-process log): the chat that would
 * have ended those moments is gone, and nothing else would ever end them.
 */
export async function endLiveMoments(db: Kysely<Database>): Promise<number> {
  const ended = await db
    .updateTable('moments')
    .set({ live: false, final_at: sql<Date>`now()` })
    .where('live', '=', true)
    .executeTakeFirst();
  return Number(ended.numUpdatedRows);
}

export async function listMoments(db: Kysely<Database>, query: MomentQuery): Promise<MomentPage> {
  const after = query.cursor === undefined ? undefined : decodeMomentCursor(query.cursor);
  if (after === null) throw new InvalidCursorError('cursor is not one this server issued');
  let select = selectWithClips(db)
    .orderBy('moments.start_ts', 'desc')
    .orderBy('moments.id', 'desc')
    // One row more than asked tells whether another page exists.
    .limit(query.limit + 1);
  if (query.channel !== undefined)
    select = select.where('moments.channel_id', '=', channelIdOf(db, query.channel));
  if (query.from !== undefined)
    select = select.where('moments.start_ts', '>=', new Date(query.from));
  if (query.to !== undefined) select = select.where('moments.start_ts', '<', new Date(query.to));
  if (query.minScore !== undefined) select = select.where('moments.score', '>=', query.minScore);
  if (after !== undefined) {
    select = select.where(({ eb, refTuple, tuple }) =>
      eb(refTuple('moments.start_ts', 'moments.id'), '<', tuple(new Date(after.startTs), after.id)),
    );
  }
  const rows = await select.execute();
  const page = rows.slice(0, query.limit).map(toMoment);
  const last = page.at(-1);
  return {
    moments: page,
    next_cursor:
      rows.length > query.limit && last !== undefined
        ? encodeMomentCursor({ startTs: last.start_ts, id: last.id })
        : null,
  };
}

/** Oldest first, as a live feed should replay them. */
export async function momentsByIds(db: Kysely<Database>, ids: string[]): Promise<MomentWithClip[]> {
  if (ids.length === 0) return [];
  const rows = await selectWithClips(db)
    .where('moments.id', 'in', ids)
    .orderBy('moments.start_ts')
    .orderBy('moments.id')
    .execute();
  return rows.map(toMoment);
}

/** Moments with their clip's columns, null without one (clips.moment_id is unique: one at most). */
function selectWithClips(db: Kysely<Database>) {
  return db
    .selectFrom('moments')
    .leftJoin('clips', 'clips.moment_id', 'moments.id')
    .selectAll('moments')
    .select([
      'clips.clip_id',
      'clips.url as clip_url',
      'clips.embed_url as clip_embed_url',
      'clips.thumbnail_url as clip_thumbnail_url',
      'clips.duration as clip_duration',
      'clips.peak_ts as clip_peak_ts',
      'clips.clip_start_ts',
      'clips.clip_end_ts',
    ]);
}

type MomentWithClipRow = Awaited<ReturnType<ReturnType<typeof selectWithClips>['execute']>>[number];

function toRow(moment: Moment, live: boolean) {
  return {
    id: moment.id,
    channel_id: moment.channel_id,
    channel: moment.channel,
    start_ts: new Date(moment.start_ts),
    peak_ts: new Date(moment.peak_ts),
    end_ts: new Date(moment.end_ts),
    score: moment.score,
    explanation: JSON.stringify(moment.explanation),
    live,
    final_at: live ? null : sql<Date>`now()`,
  };
}

function toMoment(row: MomentWithClipRow): MomentWithClip {
  return {
    id: row.id,
    channel_id: row.channel_id,
    channel: row.channel,
    start_ts: row.start_ts.getTime(),
    peak_ts: row.peak_ts.getTime(),
    end_ts: row.end_ts.getTime(),
    score: row.score,
    explanation: row.explanation as MomentExplanation,
    live: row.live,
    clip: toMomentClip(row),
  };
}

function toMomentClip(row: MomentWithClipRow): MomentClip | null {
  // url and embed_url are not null in clips: null means the join found no clip.
  if (row.clip_id === null || row.clip_url === null || row.clip_embed_url === null) return null;
  return {
    clip_id: row.clip_id,
    url: row.clip_url,
    embed_url: row.clip_embed_url,
    thumbnail_url: row.clip_thumbnail_url,
    duration: row.clip_duration,
    peak_ts: row.clip_peak_ts?.getTime() ?? null,
    clip_start_ts: row.clip_start_ts?.getTime() ?? null,
    clip_end_ts: row.clip_end_ts?.getTime() ?? null,
  };
}
