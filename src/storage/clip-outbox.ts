// The clip outbox on PostgreSQL: one `clip_attempts` row per moment worth clipping, driven
// through its states by any number of clipper processes (src/clips/README.md has the diagram).
// A process works on a row only under a lease; a lease that runs out while a Create Clip call
// was in flight turns the row `uncertain`, so whoever picks it up looks for the clip on Twitch
// before calling again. Every Create Clip call is logged in `clip_calls`, under one advisory lock,
// which makes the per-minute cap and the per-channel cooldown hold across processes.
import { sql, type Kysely } from 'kysely';
import type { ClipCandidate } from '../clips/clip-candidate.ts';
import { saveClip } from './clips.ts';
import type { ClipAttemptState, ClipAttemptsTable, Database } from './schema-types.ts';
import type { Clip } from './store.ts';
import type { Selectable, Updateable } from 'kysely';

/** A candidate on its way through the outbox (see the states in src/clips/README.md). */
export interface ClipAttempt extends ClipCandidate {
  state: ClipAttemptState;
  reason: string | null;
  next_try_at: number;
  /** Create Clip calls made so far, and Get Clips checks since the last call. */
  calls: number;
  checks: number;
  called_at: number | null;
  clip_id: string | null;
  edit_url: string | null;
  duration_s: number | null;
}

export interface ClipCallLimits {
  /** Create Clip calls per rolling minute, over all processes. */
  perMinute: number;
  /** Least time between calls for two different moments of one channel. */
  channelCooldownMs: number;
}

/** Whether a call may go ahead now, or the earliest time it could. */
export type CallPermit = { granted: true } | { granted: false; notBefore: number };

const CALL_LOCK = sql`pg_advisory_xact_lock(hashtext('streamscout.clip_calls'))`;

/** New rows for moments not seen before; a moment already in the outbox is left as it is. */
export async function recordClipCandidates(
  db: Kysely<Database>,
  candidates: readonly ClipCandidate[],
): Promise<void> {
  if (candidates.length === 0) return;
  await db
    .insertInto('clip_attempts')
    .values(
      candidates.map((candidate) => ({
        moment_id: candidate.moment_id,
        channel_id: candidate.channel_id,
        channel: candidate.channel,
        start_ts: new Date(candidate.start_ts),
        peak_ts: new Date(candidate.peak_ts),
        score: candidate.score,
        title: candidate.title,
        state: 'pending' as const,
        clip_by: new Date(candidate.clip_by),
      })),
    )
    .onConflict((conflict) => conflict.column('moment_id').doNothing())
    .execute();
}

export class ClipOutbox {
  private readonly db: Kysely<Database>;
  /** Names this process in leases. */
  readonly owner: string;
  private readonly leaseMs: number;

  constructor({ db, owner, leaseMs }: { db: Kysely<Database>; owner: string; leaseMs: number }) {
    this.db = db;
    this.owner = owner;
    this.leaseMs = leaseMs;
  }

  /**
   * Leases the attempt that has waited longest among those due at `now`, or returns undefined.
   * First, calls whose lease ran out (their process died or hung mid-call) become `uncertain`.
   */
  async claim(now: number): Promise<ClipAttempt | undefined> {
    const at = new Date(now);
    await this.db
      .updateTable('clip_attempts')
      .set({
        state: 'uncertain',
        checks: 0,
        next_try_at: at,
        lease_owner: null,
        lease_until: null,
        updated_at: at,
      })
      .where('state', '=', 'calling')
      .where('lease_until', '<', at)
      .execute();
    const row = await this.db
      .updateTable('clip_attempts')
      .set({ lease_owner: this.owner, lease_until: new Date(now + this.leaseMs), updated_at: at })
      .where(
        'moment_id',
        '=',
        this.db
          .selectFrom('clip_attempts')
          .select('moment_id')
          .where('state', 'in', ['pending', 'uncertain', 'created'])
          .where('next_try_at', '<=', at)
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
          .orderBy('next_try_at')
          .limit(1)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : attemptOf(row);
  }

  /**
   * When the next attempt can be claimed (epoch ms), if any is waiting: when it falls due, or
   * when the lease another step holds on it runs out, whichever is later.
   */
  async nextDueAt(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('clip_attempts')
      .select(
        sql<Date | null>`min(greatest(next_try_at, coalesce(lease_until, next_try_at)))`.as('due'),
      )
      .where('state', 'in', ['pending', 'uncertain', 'created'])
      .executeTakeFirst();
    return row?.due == null ? undefined : new Date(row.due).getTime();
  }

  /**
   * Moves a leased pending (or uncertain) attempt to `calling` and logs the call, unless the
   * global cap or the channel's cooldown says not yet. Serialised over all processes.
   */
  async startCall(attempt: ClipAttempt, now: number, limits: ClipCallLimits): Promise<CallPermit> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select ${CALL_LOCK}`.execute(trx);
      const at = new Date(now);
      const minuteAgo = new Date(now - 60_000);
      const recent = await trx
        .selectFrom('clip_calls')
        .select('called_at')
        .where('called_at', '>', minuteAgo)
        .orderBy('called_at')
        .execute();
      if (recent.length >= limits.perMinute) {
        const oldest = recent[recent.length - limits.perMinute]!.called_at.getTime();
        return { granted: false, notBefore: oldest + 60_000 };
      }
      const lastInChannel = await trx
        .selectFrom('clip_calls')
        .select((eb) => eb.fn.max('called_at').as('last'))
        .where('channel_id', '=', attempt.channel_id)
        .where('moment_id', '<>', attempt.moment_id)
        .where('called_at', '>', new Date(now - limits.channelCooldownMs))
        .executeTakeFirst();
      if (lastInChannel?.last != null) {
        return {
          granted: false,
          notBefore: new Date(lastInChannel.last).getTime() + limits.channelCooldownMs,
        };
      }
      const updated = await trx
        .updateTable('clip_attempts')
        .set((eb) => ({
          state: 'calling',
          calls: eb('calls', '+', 1),
          checks: 0,
          called_at: at,
          lease_until: new Date(now + this.leaseMs),
          updated_at: at,
        }))
        .where('moment_id', '=', attempt.moment_id)
        .where('lease_owner', '=', this.owner)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return { granted: false, notBefore: now + this.leaseMs };
      await trx
        .insertInto('clip_calls')
        .values({ moment_id: attempt.moment_id, channel_id: attempt.channel_id, called_at: at })
        .execute();
      // The log only needs the last minute and the longest cooldown; keep an hour for operators.
      await trx
        .deleteFrom('clip_calls')
        .where('called_at', '<', new Date(now - 3_600_000))
        .execute();
      return { granted: true };
    });
  }

  /** Twitch accepted the call: the clip is to be confirmed from `nextCheckAt`. */
  created(
    attempt: ClipAttempt,
    clip: { clipId: string; editUrl: string; durationS: number },
    nextCheckAt: number,
  ): Promise<boolean> {
    return this.update(attempt, {
      state: 'created',
      clip_id: clip.clipId,
      edit_url: clip.editUrl,
      duration_s: clip.durationS,
      checks: 0,
      next_try_at: new Date(nextCheckAt),
    });
  }

  /** Puts the attempt back in `state`, due at `nextTryAt`, and releases the lease. */
  reschedule(
    attempt: ClipAttempt,
    change: {
      state: 'pending' | 'uncertain' | 'created';
      nextTryAt: number;
      checks?: number;
      reason?: string;
      detail?: string;
      durationS?: number;
    },
  ): Promise<boolean> {
    return this.update(attempt, {
      state: change.state,
      next_try_at: new Date(change.nextTryAt),
      ...(change.checks === undefined ? {} : { checks: change.checks }),
      ...(change.reason === undefined ? {} : { reason: change.reason }),
      ...(change.detail === undefined ? {} : { detail: change.detail }),
      ...(change.durationS === undefined ? {} : { duration_s: change.durationS }),
    });
  }

  /** Ends the attempt without a clip. */
  finish(
    attempt: ClipAttempt,
    state: 'failed' | 'skipped',
    reason: string,
    detail?: string,
  ): Promise<boolean> {
    return this.update(attempt, { state, reason, detail: detail ?? null });
  }

  /**
   * Stores the clip and ends the attempt, in one transaction. The clip's score is its moment's
   * latest one when the moment's row is there (live or final); saveMoments keeps it up to date
   * as the moment goes on.
   */
  async complete(attempt: ClipAttempt, clip: Clip): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const ended = await trx
        .selectFrom('moments')
        .select('score')
        .where('id', '=', attempt.moment_id)
        .executeTakeFirst();
      await saveClip(trx, { ...clip, intensity: ended?.score ?? clip.intensity });
      return this.update(attempt, { state: 'done', clip_id: clip.clip_id, reason: null }, trx);
    });
  }

  /** Twitch refused to clip this channel: no calls for it until `untilTs`. */
  async blockChannel(channelId: string, untilTs: number, reason: string): Promise<void> {
    await this.db
      .insertInto('clip_channel_blocks')
      .values({ channel_id: channelId, blocked_until: new Date(untilTs), reason })
      .onConflict((conflict) =>
        conflict.column('channel_id').doUpdateSet({
          blocked_until: new Date(untilTs),
          reason,
          blocked_at: sql<Date>`now()`,
        }),
      )
      .execute();
  }

  /** Until when the channel may not be clipped, if it is blocked at `now`. */
  async blockedUntil(channelId: string, now: number): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('clip_channel_blocks')
      .select('blocked_until')
      .where('channel_id', '=', channelId)
      .where('blocked_until', '>', new Date(now))
      .executeTakeFirst();
    return row?.blocked_until.getTime();
  }

  /** Whether the channel has a stream that has not ended, as far as the pipeline knows. */
  async isLive(channelId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('streams')
      .select('id')
      .where('channel_id', '=', channelId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Clip ids linked to other moments of the channel whose calls came after `sinceTs` (less a
   * margin): a search for this attempt's clip must not claim those.
   */
  async clipIdsOfOthers(attempt: ClipAttempt, sinceTs: number): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('clip_attempts')
      .select('clip_id')
      .where('channel_id', '=', attempt.channel_id)
      .where('moment_id', '<>', attempt.moment_id)
      .where('clip_id', 'is not', null)
      .where('called_at', '>=', new Date(sinceTs - 3_600_000))
      .execute();
    return new Set(rows.map((row) => row.clip_id!));
  }

  private async update(
    attempt: ClipAttempt,
    values: Updateable<ClipAttemptsTable>,
    db: Kysely<Database> = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('clip_attempts')
      .set({ ...values, lease_owner: null, lease_until: null, updated_at: sql<Date>`now()` })
      .where('moment_id', '=', attempt.moment_id)
      .where('lease_owner', '=', this.owner)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

function attemptOf(row: Selectable<ClipAttemptsTable>): ClipAttempt {
  return {
    moment_id: row.moment_id,
    channel_id: row.channel_id,
    channel: row.channel,
    start_ts: row.start_ts.getTime(),
    peak_ts: row.peak_ts.getTime(),
    score: row.score,
    title: row.title,
    state: row.state,
    reason: row.reason,
    clip_by: row.clip_by.getTime(),
    next_try_at: row.next_try_at.getTime(),
    calls: row.calls,
    checks: row.checks,
    called_at: row.called_at?.getTime() ?? null,
    clip_id: row.clip_id,
    edit_url: row.edit_url,
    duration_s: row.duration_s,
  };
}
