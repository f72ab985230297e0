// Streamers (Twitch broadcasters) are created on first sight by whichever write mentions them,
// so every moment, metrics window or clip can reference its channel and resolve its login.
import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type QueryCreator,
  type SqlBool,
} from 'kysely';
import { lastPerKeySorted } from './batch-rows.ts';
import type { Database } from './schema-types.ts';

export interface StreamerRef {
  id: string;
  login: string;
  display_name?: string | null | undefined;
}

/** Upsert, for use as a CTE of the statement that writes the rows mentioning these streamers. Unchanged rows are not rewritten. */
export function upsertStreamers(query: QueryCreator<Database>, streamers: StreamerRef[]) {
  const rows = lastPerKeySorted(streamers, (streamer) => streamer.id).map(
    ({ id, login, display_name }) => ({
      id,
      login,
      display_name: display_name ?? null,
    }),
  );
  return query
    .insertInto('streamers')
    .values(rows)
    .onConflict((conflict) =>
      conflict
        .column('id')
        .doUpdateSet((eb) => ({
          login: eb.ref('excluded.login'),
          display_name: eb.fn.coalesce('excluded.display_name', 'streamers.display_name'),
          updated_at: sql<Date>`now()`,
        }))
        .where((eb) =>
          eb.or([
            eb('streamers.login', 'is distinct from', eb.ref('excluded.login')),
            eb.and([
              eb('excluded.display_name', 'is not', null),
              eb('streamers.display_name', 'is distinct from', eb.ref('excluded.display_name')),
            ]),
          ]),
        ),
    );
}

/** The streamer named by `channel`: a Twitch user id or a login. */
export async function findStreamer(
  db: Kysely<Database>,
  channel: string,
): Promise<{ id: string; login: string } | null> {
  const row = await namedBy(db, channel)
    .select(['streamers.id', 'streamers.login'])
    .executeTakeFirst();
  return row ?? null;
}

/**
 * The id of the channel named by `channel`, as a scalar subquery: PostgreSQL evaluates it once,
 * then walks the per-channel index in order (an `IN (...)` or a join would lose that order).
 */
export function channelIdOf(db: Kysely<Database>, channel: string): Expression<string> {
  return namedBy(db, channel).select('streamers.id').$asScalar();
}

/** An id wins over a login; among streamers sharing a reused login, the most recently seen wins. */
function namedBy(query: QueryCreator<Database>, channel: string) {
  return query
    .selectFrom('streamers')
    .where((eb) => matchesChannel(eb, channel))
    .orderBy(sql`streamers.id = ${channel}`, 'desc')
    .orderBy('streamers.updated_at', 'desc')
    .limit(1);
}

function matchesChannel(
  eb: ExpressionBuilder<Database, 'streamers'>,
  channel: string,
): Expression<SqlBool> {
  return eb.or([eb('streamers.id', '=', channel), eb('streamers.login', '=', channel)]);
}
