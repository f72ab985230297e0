// The clipper: takes due attempts from the clip outbox and drives each one step further —
// call Create Clip, confirm with Get Clips, or look for the clip an unanswered call may have
// made — recording every step in the outbox before acting on the next. Any number of clippers
// may share one database: leases keep them off each other's attempts, and a lease that runs out
// mid-call is treated as a call that may have made a clip (see clip-outbox.ts).
import type { Logger } from '../ops/logger.ts';
import { sleep } from '../ops/sleep.ts';
import type { ClipAttempt, ClipCallLimits, ClipOutbox } from '../storage/clip-outbox.ts';
import type { Clip } from '../storage/store.ts';
import type { ClipMetrics } from './clip-metrics.ts';
import { clipDurationS, clipWindow, peakOffsetS } from './clip-window.ts';
import type { TwitchClip, TwitchClips } from './twitch-clips.ts';

export interface ClipperOptions {
  outbox: ClipOutbox;
  twitch: TwitchClips;
  /** Twitch user id of the token's user: the creator a search looks for. */
  creatorId: () => Promise<string>;
  limits: ClipCallLimits;
  /** How long a channel that answered 403 is left alone. */
  notClippableMs: number;
  metrics: ClipMetrics;
  logger: Logger;
  /** Epoch ms. Default Date.now. */
  clock?: () => number;
  /** Longest wait between looks at the outbox when nobody calls `wake`. Default 1000 ms. */
  pollMs?: number;
  /** Attempts worked on at once. Default 4. */
  concurrency?: number;
  /** Waits before each Get Clips check of an accepted clip. Default 5, 10, 15, 30 s. */
  confirmDelaysMs?: readonly number[];
  /** Waits before each search for the clip of an unanswered call. Default 5, 10, 15 s. */
  searchDelaysMs?: readonly number[];
  /** Create Clip calls per moment, at most. Default 3. */
  maxCalls?: number;
  /** Give up confirming a clip when Twitch has not answered for this long. Default 15 min. */
  confirmForMs?: number;
}

type Tuning = Required<
  Pick<
    ClipperOptions,
    'pollMs' | 'concurrency' | 'confirmDelaysMs' | 'searchDelaysMs' | 'maxCalls' | 'confirmForMs'
  >
>;

const DEFAULTS: Tuning = {
  pollMs: 1000,
  concurrency: 4,
  confirmDelaysMs: [5_000, 10_000, 15_000, 30_000],
  searchDelaysMs: [5_000, 10_000, 15_000],
  maxCalls: 3,
  confirmForMs: 15 * 60_000,
};

/** Back-off after a refused call (408, 429 without a reset) and for storage writes. */
const RETRY_BASE_MS = 2_000;
const STORAGE_RETRY_MAX_MS = 30_000;

export class Clipper {
  private readonly options: ClipperOptions & Tuning;
  private readonly clock: () => number;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private loop: Promise<void> | undefined;

  constructor(options: ClipperOptions) {
    this.options = { ...DEFAULTS, ...options };
    this.clock = options.clock ?? Date.now;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** New attempts were recorded: look now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops taking work and waits for the steps under way (their leases cover the rest). */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wakeUp?.();
    await this.loop;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      if (this.inFlight.size >= this.options.concurrency) {
        await Promise.race(this.inFlight);
        continue;
      }
      this.woken = false;
      let attempt: ClipAttempt | undefined;
      try {
        attempt = await this.options.outbox.claim(this.clock());
        failures = 0;
      } catch (error) {
        failures += 1;
        this.options.logger.warn({ err: error }, 'clip outbox unreachable; retrying');
        await sleep(
          Math.min(STORAGE_RETRY_MAX_MS, RETRY_BASE_MS * 2 ** failures),
          this.abort.signal,
        );
        continue;
      }
      if (attempt === undefined) {
        await this.idle();
        continue;
      }
      const step = this.advance(attempt)
        .catch((error: unknown) => {
          // The lease runs out and the attempt is picked up again; a call in flight is searched for.
          this.options.logger.warn(
            { err: error, moment: attempt.moment_id },
            'clip attempt step failed; it will be retried when its lease runs out',
          );
        })
        .finally(() => this.inFlight.delete(step));
      this.inFlight.add(step);
    }
    await Promise.allSettled(this.inFlight);
  }

  /** Waits for the next due attempt, a wake-up, or the poll interval, whichever is first. */
  private async idle(): Promise<void> {
    if (this.woken) return;
    let waitMs = this.options.pollMs;
    const due = await this.options.outbox.nextDueAt().catch(() => undefined);
    if (due !== undefined) waitMs = Math.max(0, Math.min(waitMs, due - this.clock()));
    if (this.inFlight.size > 0) waitMs = Math.min(waitMs, this.options.pollMs);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, waitMs);
      this.wakeUp = done;
      const inFlight = [...this.inFlight];
      // A finished step frees room and may have made more work due.
      if (inFlight.length > 0) void Promise.race(inFlight).then(done);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
    this.wakeUp = undefined;
  }

  private advance(attempt: ClipAttempt): Promise<void> {
    switch (attempt.state) {
      case 'pending':
        return this.call(attempt);
      case 'uncertain':
        return this.search(attempt);
      case 'created':
        return this.confirm(attempt);
      default:
        return Promise.resolve();
    }
  }

  /** Create Clip, if the moment can still be clipped and the limits allow it now. */
  private async call(attempt: ClipAttempt): Promise<void> {
    const { outbox, limits, twitch } = this.options;
    const now = this.clock();
    if (now > attempt.clip_by) return this.end(attempt, 'skipped', 'too_late');
    const blockedUntil = await outbox.blockedUntil(attempt.channel_id, now);
    if (blockedUntil !== undefined) {
      const until = new Date(blockedUntil).toISOString();
      return this.end(attempt, 'skipped', 'not_clippable', `channel blocked until ${until}`);
    }
    if (!(await outbox.isLive(attempt.channel_id))) return this.end(attempt, 'skipped', 'offline');
    const permit = await outbox.startCall(attempt, now, limits);
    if (!permit.granted) {
      if (permit.notBefore > attempt.clip_by) return this.end(attempt, 'skipped', 'rate_limited');
      await outbox.reschedule(attempt, { state: 'pending', nextTryAt: permit.notBefore });
      return;
    }
    const calls = attempt.calls + 1;
    const durationS = clipDurationS(attempt.start_ts, now);
    const called = { ...attempt, called_at: now, calls, duration_s: durationS };
    const outcome = await twitch.create(
      { broadcasterId: attempt.channel_id, title: attempt.title, durationS },
      this.abort.signal,
    );
    this.options.logger.info(
      { moment: attempt.moment_id, channel: attempt.channel, outcome: outcome.kind, call: calls },
      'Create Clip called',
    );
    switch (outcome.kind) {
      case 'created':
        await this.durably(() =>
          outbox.created(called, { ...outcome, durationS }, now + this.options.confirmDelaysMs[0]!),
        );
        return;
      case 'retry': {
        if (calls >= this.options.maxCalls) return this.end(called, 'failed', outcome.reason);
        const afterMs = outcome.afterMs ?? RETRY_BASE_MS * 2 ** (calls - 1);
        await outbox.reschedule(called, {
          state: 'pending',
          nextTryAt: now + afterMs,
          reason: outcome.reason,
        });
        return;
      }
      case 'uncertain':
        await this.durably(() =>
          outbox.reschedule(called, {
            state: 'uncertain',
            nextTryAt: now + this.options.searchDelaysMs[0]!,
            checks: 0,
            reason: outcome.reason,
            durationS,
          }),
        );
        return;
      case 'forbidden':
        await outbox.blockChannel(
          attempt.channel_id,
          now + this.options.notClippableMs,
          outcome.message,
        );
        this.options.logger.warn(
          {
            channel: attempt.channel,
            until: new Date(now + this.options.notClippableMs).toISOString(),
          },
          `Twitch refused to clip the channel (403: ${outcome.message}); leaving it alone until then`,
        );
        return this.end(called, 'failed', 'not_clippable', outcome.message);
      case 'offline':
        return this.end(called, 'skipped', 'offline', outcome.message);
      case 'rejected':
        return this.end(called, 'failed', outcome.reason, outcome.message);
    }
  }

  /** Get Clips by id: the accepted clip is stored once Twitch shows it. */
  private async confirm(attempt: ClipAttempt): Promise<void> {
    const { twitch, confirmDelaysMs } = this.options;
    let clip: TwitchClip | undefined;
    try {
      clip = await twitch.byId(attempt.clip_id!, this.abort.signal);
    } catch (error) {
      return this.retryLookup(attempt, 'created', error);
    }
    if (clip !== undefined) return this.store(attempt, clip);
    const checks = attempt.checks + 1;
    if (checks >= confirmDelaysMs.length) {
      return this.end(
        attempt,
        'failed',
        'not_confirmed',
        `Get Clips never showed ${attempt.clip_id}`,
      );
    }
    await this.options.outbox.reschedule(attempt, {
      state: 'created',
      nextTryAt: this.clock() + confirmDelaysMs[checks]!,
      checks,
    });
  }

  /**
   * A call went unanswered (timeout, 5xx, a process that died mid-call): look for a clip our user
   * made on the channel since the call. Found: it is this moment's. Not found after the searches:
   * call again if the peak can still be caught, else give up.
   */
  private async search(attempt: ClipAttempt): Promise<void> {
    const { twitch, outbox, searchDelaysMs } = this.options;
    const since = attempt.called_at ?? attempt.next_try_at;
    let found: TwitchClip | undefined;
    try {
      const [creator, taken] = await Promise.all([
        this.options.creatorId(),
        outbox.clipIdsOfOthers(attempt, since),
      ]);
      const ours = await twitch.madeBy(attempt.channel_id, creator, since, this.abort.signal);
      found = ours.find((clip) => !taken.has(clip.id));
    } catch (error) {
      return this.retryLookup(attempt, 'uncertain', error);
    }
    if (found !== undefined) {
      this.options.logger.info(
        { moment: attempt.moment_id, clip: found.id },
        'found the clip of an unanswered Create Clip call',
      );
      return this.store(attempt, found);
    }
    const checks = attempt.checks + 1;
    const now = this.clock();
    if (checks < searchDelaysMs.length) {
      await outbox.reschedule(attempt, {
        state: 'uncertain',
        nextTryAt: now + searchDelaysMs[checks]!,
        checks,
      });
      return;
    }
    if (now <= attempt.clip_by && attempt.calls < this.options.maxCalls) {
      await outbox.reschedule(attempt, { state: 'pending', nextTryAt: now, checks: 0 });
      return;
    }
    return this.end(attempt, 'failed', 'unanswered', attempt.reason ?? undefined);
  }

  /** Twitch could not be asked: try again later, unless it has been far too long. */
  private async retryLookup(
    attempt: ClipAttempt,
    state: 'created' | 'uncertain',
    error: unknown,
  ): Promise<void> {
    const now = this.clock();
    if (now - (attempt.called_at ?? now) > this.options.confirmForMs) {
      return this.end(attempt, 'failed', 'unanswered', (error as Error).message);
    }
    this.options.logger.warn(
      { err: error, moment: attempt.moment_id },
      'Get Clips failed; retrying',
    );
    await this.options.outbox.reschedule(attempt, {
      state,
      nextTryAt: now + this.options.confirmDelaysMs[0]!,
    });
  }

  private async store(attempt: ClipAttempt, found: TwitchClip): Promise<void> {
    const calledAt = attempt.called_at ?? Date.parse(found.created_at);
    const window = clipWindow(calledAt, attempt.duration_s ?? found.duration);
    const clip: Clip = {
      clip_id: found.id,
      moment_id: attempt.moment_id,
      channel_id: attempt.channel_id,
      channel: attempt.channel,
      url: found.url,
      embed_url: found.embed_url,
      thumbnail_url: found.thumbnail_url || null,
      title: found.title || attempt.title,
      detected_at: calledAt,
      created_at: Date.parse(found.created_at),
      intensity: attempt.score,
      duration: found.duration,
      vod_offset: found.vod_offset,
      peak_ts: attempt.peak_ts,
      clip_start_ts: window.startTs,
      clip_end_ts: window.endTs,
      edit_url: attempt.edit_url,
      video_id: found.video_id || null,
      creator_id: found.creator_id,
    };
    const stored = await this.durably(() => this.options.outbox.complete(attempt, clip));
    if (!stored) return;
    this.options.metrics.created.inc();
    this.options.metrics.peakOffset.observe(peakOffsetS(attempt.peak_ts, window));
    this.options.logger.info(
      { moment: attempt.moment_id, channel: attempt.channel, clip: clip.clip_id, url: clip.url },
      'clip created',
    );
  }

  private async end(
    attempt: ClipAttempt,
    state: 'failed' | 'skipped',
    reason: string,
    detail?: string,
  ): Promise<void> {
    if (!(await this.options.outbox.finish(attempt, state, reason, detail))) return;
    this.options.metrics.failed.inc({ reason });
    this.options.logger.info(
      { moment: attempt.moment_id, channel: attempt.channel, reason, detail },
      `no clip for the moment (${state})`,
    );
  }

  /**
   * A write that records something only Twitch knows otherwise (a clip's id): retried until the
   * database takes it or the clipper stops; then the lease runs out and a search finds the clip.
   */
  private async durably(write: () => Promise<boolean>): Promise<boolean> {
    for (let failures = 0; ; failures++) {
      try {
        return await write();
      } catch (error) {
        if (this.stopped) throw error;
        const delay = Math.min(STORAGE_RETRY_MAX_MS, RETRY_BASE_MS * 2 ** failures);
        this.options.logger.warn(
          { err: error, retryInMs: delay },
          'storing a clip step failed; retrying',
        );
        await sleep(delay, this.abort.signal);
      }
    }
  }
}
