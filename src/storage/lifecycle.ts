// Streams from lifecycle events (online / offline / title / game) and viewer samples.
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Lifecycle, Viewers } from '../events/schema.ts';
import { lastPerKeySorted } from './batch-rows.ts';
import type { Database } from './schema-types.ts';
import { upsertStreamers, type StreamerRef } from './streamers.ts';

/**
 * Stream id for an online event that carries none: deterministic, so the same broadcast seen
 * again (replay, duplicate delivery) lands on the same row. Prefixed so it never collides with
 * Twitch's numeric ids.
 */
export function derivedStreamId(channelId: string, startedAt: number): string {
  const startSecond = Math.floor(startedAt / 1000);
  return `derived-${createHash('sha256').update(`stream:${channelId}:${startSecond}`).digest('hex').slice(0, 24)}`;
}

/**
 * Lifecycle events depend on their order (online then offline is not offline then online), so
 * they are applied one statement per event, in order, in one transaction. They are rare: a
 * handful per stream per day, against thousands of chat messages per second.
 */
export async function applyLifecycle(db: Kysely<Database>, events: Lifecycle[]): Promise<void> {
  if (events.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await lockStreamers(trx, events);
    for (const event of events) await applyOne(trx, event);
  });
}

/**
 * Takes the batch's streamer rows first, in one statement sorted by id, as every other write
 * takes them (upsertStreamers sorts). Without it the per-event statements lock them in event
 * order, and a processor writing chat of the same channels (chat and lifecycle are separate,
 * not co-partitioned topics, so that is often another processor) deadlocks with this one.
 * Only the newest login per streamer is written here; the per-event upserts still apply each
 * event's own names in order.
 */
async function lockStreamers(trx: Transaction<Database>, events: Lifecycle[]): Promise<void> {
  const streamers = events.map(streamerOf);
  await trx
    .with('saved_streamers', (query) => upsertStreamers(query, streamers))
    .selectNoFrom(sql<number>`1`.as('done'))
    .execute();
}

function streamerOf(event: Lifecycle): StreamerRef {
  return { id: event.channel_id, login: event.channel, display_name: event.display_name };
}

async function applyOne(trx: Transaction<Database>, event: Lifecycle): Promise<void> {
  const streamer = streamerOf(event);
  switch (event.kind) {
    case 'online':
      return openStream(trx, streamer, event);
    case 'offline':
      return closeStreams(trx, streamer, event);
    case 'title':
    case 'game':
      return updateLiveStream(trx, streamer, event);
  }
}

/**
 * Opens (or re-asserts) the stream and closes any other stream of the channel still marked live:
 * its offline event was missed. An old online event replayed after the offline one does not
 * re-open the stream.
 */
async function openStream(
  trx: Transaction<Database>,
  streamer: StreamerRef,
  event: Lifecycle,
): Promise<void> {
  const startedAt = new Date(event.started_at ?? event.ts);
  const streamId = event.stream_id ?? derivedStreamId(event.channel_id, startedAt.getTime());
  const seenAt = new Date(event.ts);
  await trx
    .with('saved_streamer', (query) => upsertStreamers(query, [streamer]))
    .with('closed_previous', (query) =>
      query
        .updateTable('streams')
        .set({ ended_at: startedAt, updated_at: sql<Date>`now()` })
        .where('channel_id', '=', event.channel_id)
        .where('id', '<>', streamId)
        .where('ended_at', 'is', null)
        .where('started_at', '<=', startedAt),
    )
    .insertInto('streams')
    .values({
      id: streamId,
      channel_id: event.channel_id,
      title: event.title ?? null,
      game: event.game ?? null,
      language: event.language ?? null,
      started_at: startedAt,
      ended_at: null,
    })
    .onConflict((conflict) =>
      conflict.column('id').doUpdateSet((eb) => ({
        title: eb.fn.coalesce('excluded.title', 'streams.title'),
        game: eb.fn.coalesce('excluded.game', 'streams.game'),
        language: eb.fn.coalesce('excluded.language', 'streams.language'),
        ended_at: sql<Date | null>`case when streams.ended_at <= ${seenAt} then null else streams.ended_at end`,
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

async function closeStreams(
  trx: Transaction<Database>,
  streamer: StreamerRef,
  event: Lifecycle,
): Promise<void> {
  const endedAt = new Date(event.ts);
  let update = trx
    .with('saved_streamer', (query) => upsertStreamers(query, [streamer]))
    .updateTable('streams')
    .set({ ended_at: endedAt, updated_at: sql<Date>`now()` })
    .where('channel_id', '=', event.channel_id)
    .where('ended_at', 'is', null)
    .where('started_at', '<=', endedAt);
  if (event.stream_id !== undefined) update = update.where('id', '=', event.stream_id);
  await update.execute();
}

async function updateLiveStream(
  trx: Transaction<Database>,
  streamer: StreamerRef,
  event: Lifecycle,
): Promise<void> {
  let update = trx
    .with('saved_streamer', (query) => upsertStreamers(query, [streamer]))
    .updateTable('streams')
    .set({
      // Only what the event says: a title change carries no game, and must not erase it.
      ...(event.title !== undefined && { title: event.title }),
      ...(event.game !== undefined && { game: event.game }),
      ...(event.language !== undefined && { language: event.language }),
      updated_at: sql<Date>`now()`,
    })
    .where('channel_id', '=', event.channel_id)
    .where('ended_at', 'is', null);
  if (event.stream_id !== undefined) update = update.where('id', '=', event.stream_id);
  await update.execute();
}

/**
 * Every sample into `viewer_counts`, and the newest sample of each channel onto its live stream
 * (never replacing a newer one), raising the stream's peak: one statement, after the lock below.
 */
export async function recordViewers(db: Kysely<Database>, events: Viewers[]): Promise<void> {
  if (events.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await lockExistingStreamers(trx, events);
    await writeViewers(trx, events);
  });
}

/**
 * The batch's streamer rows, in id order, before any stream row: every writer of stream rows
 * takes its streamers first (applyLifecycle upserts them), so two writers sharing a channel
 * queue on its streamer rather than each holding a stream row the other wants next (a 40P01
 * seen between two processors in bench:e2e). An UPDATE's row order is the plan's, and a
 * statement's WITH parts may run after its main part, so this is a statement of its own. A
 * select, not an upsert as in applyLifecycle: a viewer sample may not name the channel's login,
 * and a streamer not there yet has no stream row to lock.
 */
async function lockExistingStreamers(trx: Transaction<Database>, events: Viewers[]): Promise<void> {
  const ids = [...new Set(events.map((event) => event.channel_id))].sort();
  await trx
    .selectFrom('streamers')
    .select('id')
    .where('id', 'in', ids)
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
}

async function writeViewers(trx: Transaction<Database>, events: Viewers[]): Promise<void> {
  const samples = lastPerKeySorted(events, (event) => `${event.channel_id}\u0000${event.ts}`);
  const latest = latestPerChannel(events);
  const streamers = events.flatMap((event) =>
    event.channel === undefined ? [] : [{ id: event.channel_id, login: event.channel }],
  );
  let statement = trx.with('saved_samples', (query) =>
    query
      .insertInto('viewer_counts')
      .values(
        samples.map((event) => ({
          channel_id: event.channel_id,
          ts: new Date(event.ts),
          viewers: event.viewers,
        })),
      )
      .onConflict((conflict) =>
        conflict
          .columns(['channel_id', 'ts'])
          .doUpdateSet((eb) => ({ viewers: eb.ref('excluded.viewers') })),
      ),
  );
  if (streamers.length > 0) {
    statement = statement.with('saved_streamers', (query) => upsertStreamers(query, streamers));
  }
  const newest = sql.join(
    latest.map(
      (sample) =>
        sql`(${sample.channel_id}::text, ${sample.stream_id}::text, ${new Date(sample.ts)}::timestamptz, ${sample.viewers}::integer, ${sample.peak}::integer)`,
    ),
  );
  await statement
    .updateTable('streams')
    .from(
      sql<NewestSample>`(select * from (values ${newest}) as sample(channel_id, stream_id, ts, viewers, peak))`.as(
        'newest',
      ),
    )
    .set((eb) => ({
      viewers: eb.ref('newest.viewers'),
      peak_viewers: sql<number>`greatest(streams.peak_viewers, newest.peak)`,
      viewers_at: eb.ref('newest.ts'),
      updated_at: sql<Date>`now()`,
    }))
    .whereRef('streams.channel_id', '=', 'newest.channel_id')
    .where('streams.ended_at', 'is', null)
    .where((eb) =>
      eb.and([
        eb.or([
          eb('newest.stream_id', 'is', null),
          eb('streams.id', '=', eb.ref('newest.stream_id')),
        ]),
        eb.or([
          eb('streams.viewers_at', 'is', null),
          eb('streams.viewers_at', '<', eb.ref('newest.ts')),
        ]),
      ]),
    )
    .execute();
}

interface NewestSample {
  channel_id: string;
  stream_id: string | null;
  ts: Date;
  viewers: number;
  peak: number;
}

function latestPerChannel(events: Viewers[]) {
  const latest = new Map<
    string,
    { channel_id: string; stream_id: string | null; ts: number; viewers: number; peak: number }
  >();
  for (const event of events) {
    const known = latest.get(event.channel_id);
    const peak = Math.max(known?.peak ?? 0, event.viewers);
    if (known === undefined || event.ts >= known.ts) {
      latest.set(event.channel_id, {
        channel_id: event.channel_id,
        stream_id: event.stream_id ?? null,
        ts: event.ts,
        viewers: event.viewers,
        peak,
      });
    } else {
      known.peak = peak;
    }
  }
  return [...latest.values()];
}
