// The clipper against real PostgreSQL and the fake Twitch (Create Clip, Get Clips, OAuth): every
// outcome of a Create Clip call, the limits, and the database going away mid-clip.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readUserTokenFile } from '../../src/sources/twitch/user-token-file.ts';
import { MAX_DURATION_S, MIN_DURATION_S } from '../../src/clips/clip-window.ts';
import { poll } from '../support/poll.ts';
import type { ClipCandidate } from '../../src/clips/clip-candidate.ts';
import type { MomentWithClip } from '../../src/storage/store.ts';
import { moment } from '../support/records.ts';
import { startClipBench, type ClipBench } from './clip-test-kit.ts';

const SETTLE_MS = 15_000;

describe('clipper', () => {
  let bench: ClipBench;
  beforeEach(async () => {
    bench = await startClipBench();
  });
  afterEach(() => bench.close());

  /** Waits until the attempt reaches one of the final states, and returns it. */
  async function settled(momentId: string) {
    return poll(async () => {
      const attempt = await bench.attempt(momentId);
      return ['done', 'failed', 'skipped'].includes(attempt.state) ? attempt : undefined;
    }, SETTLE_MS);
  }

  /** The candidate's moment row, as the pipeline writes it when the moment ends. */
  function saveMomentOf(candidate: ClipCandidate, score?: number): Promise<void> {
    const { moment_id: id, channel_id, start_ts } = candidate;
    return bench.db.store.saveMoments([
      moment({ id, channel_id, start_ts, ...(score === undefined ? {} : { score }) }),
    ]);
  }

  it('clips a moment at once, with a window that holds the peak, and stores it once Get Clips shows it', async () => {
    const candidate = bench.candidate();
    await bench.db.store.recordClipCandidates([candidate]);
    const clipper = bench.clipper();
    const startedAt = Date.now();
    clipper.start();
    clipper.wake();
    const attempt = await settled(candidate.moment_id);
    expect(attempt.state).toBe('done');

    const [call, ...more] = bench.helix.clips.calls;
    expect(more).toEqual([]);
    expect(call!.at - startedAt).toBeLessThan(2_000);
    expect(call!.broadcasterId).toBe(bench.channelId('alpha'));
    expect(call!.query.title).toBe(candidate.title);
    // From 10 s before the moment's start to 5 s after the call: 6 + 8 + 10 + 5 s and a bit.
    const duration = Number(call!.query.duration);
    expect(duration).toBeGreaterThanOrEqual(MIN_DURATION_S);
    expect(duration).toBeLessThanOrEqual(MAX_DURATION_S);

    const [made] = bench.helix.clips.all;
    const { clips } = await bench.db.store.listClips({ limit: 10, offset: 0 });
    expect(clips).toHaveLength(1);
    const stored = clips[0]!;
    expect(stored).toMatchObject({
      clip_id: made!.id,
      moment_id: candidate.moment_id,
      channel_id: candidate.channel_id,
      channel: 'alpha',
      url: made!.url,
      embed_url: made!.embed_url,
      thumbnail_url: made!.thumbnail_url,
      title: candidate.title,
      intensity: candidate.score,
      duration,
      vod_offset: made!.vod_offset,
      peak_ts: candidate.peak_ts,
      edit_url: `https://clips.twitch.tv/${made!.id}/edit`,
      video_id: made!.video_id,
      creator_id: made!.creator_id,
    });
    expect(stored.clip_start_ts!).toBeLessThanOrEqual(candidate.start_ts - 10_000 + 1_000);
    expect(stored.clip_end_ts! - stored.clip_start_ts!).toBe(duration * 1000);
    expect(candidate.peak_ts).toBeGreaterThan(stored.clip_start_ts!);
    expect(candidate.peak_ts).toBeLessThan(stored.clip_end_ts!);
    expect(await bench.metric('clips_created_success_total')).toBe(1);
    expect(await bench.metric('clip_peak_offset_seconds')).toBe(1);
    expect(
      await bench.metric('twitch_api_latency_seconds', { endpoint: 'clips', method: 'POST' }),
    ).toBe(1);
  });

  it("gives the clip its moment's final score when the moment ended before the clip was stored", async () => {
    const candidate = bench.candidate();
    await saveMomentOf(candidate, 11);
    await bench.db.store.recordClipCandidates([candidate]);
    bench.clipper().start();
    expect((await settled(candidate.moment_id)).state).toBe('done');
    const { clips } = await bench.db.store.listClips({ limit: 10, offset: 0 });
    expect(clips.map((clip) => clip.intensity)).toEqual([11]);
  });

  it('announces a moment already saved again, with its clip, once the clip is stored', async () => {
    const candidate = bench.candidate();
    await saveMomentOf(candidate);
    const announced: MomentWithClip[] = [];
    const stop = await bench.db.store.listenForMoments((pushed) => announced.push(pushed));
    try {
      await bench.db.store.recordClipCandidates([candidate]);
      bench.clipper().start();
      expect((await settled(candidate.moment_id)).state).toBe('done');
      const [made] = bench.helix.clips.all;
      await expect.poll(() => announced.map((pushed) => pushed.clip?.clip_id)).toEqual([made!.id]);
      expect(announced[0]?.id).toBe(candidate.moment_id);
    } finally {
      await stop();
    }
  });

  it('keeps one attempt and makes one clip for a moment delivered several times', async () => {
    const candidate = bench.candidate();
    await bench.db.store.recordClipCandidates([candidate]);
    await bench.db.store.recordClipCandidates([candidate, { ...candidate, score: 9 }]);
    const clipper = bench.clipper();
    clipper.start();
    await settled(candidate.moment_id);
    await bench.db.store.recordClipCandidates([candidate]);
    clipper.wake();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bench.helix.clips.calls).toHaveLength(1);
    expect(await bench.clipRows()).toHaveLength(1);
    expect((await bench.attempt(candidate.moment_id)).state).toBe('done');
  });

  it('waits for Ratelimit-Reset after a 429, then calls again', async () => {
    bench.helix.setRateLimit({ points: 800, windowMs: 2_000 });
    bench.helix.forceNextResponses(429);
    const candidate = bench.candidate();
    await bench.db.store.recordClipCandidates([candidate]);
    bench.clipper().start();
    expect((await settled(candidate.moment_id)).state).toBe('done');
    const posts = bench.helix.requestsTo('/helix/clips').filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.status)).toEqual([429, 202]);
    // The 429 said the bucket refills at the next whole second after its 2 s window.
    const reset = Math.ceil((posts[0]!.at + 2_000) / 1000) * 1000;
    expect(posts[1]!.at).toBeGreaterThanOrEqual(reset - 50);
    expect(await bench.clipRows()).toHaveLength(1);
  });

  it('calls again after a 408 (the request was not carried out)', async () => {
    bench.helix.forceNextResponses(408);
    const candidate = bench.candidate();
    await bench.db.store.recordClipCandidates([candidate]);
    bench.clipper().start();
    expect((await settled(candidate.moment_id)).state).toBe('done');
    const posts = bench.helix.requestsTo('/helix/clips').filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.status)).toEqual([408, 202]);
  });

  it('after a 5xx looks for a clip first, and calls again only when there is none', async () => {
    bench.helix.forceNextResponses(503);
    const candidate = bench.candidate();
    await bench.db.store.recordClipCandidates([candidate]);
    bench.clipper().start();
    expect((await settled(candidate.moment_id)).state).toBe('done');
    const clipRequests = bench.helix.requestsTo('/helix/clips');
    const posts = clipRequests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.status)).toEqual([503, 202]);
    // Three searches of the channel's clips came between the two calls.
    const between = clipRequests.filter(
      (r) => r.method === 'GET' && r.at > posts[0]!.at && r.at < posts[1]!.at,
    );
    expect(between).toHaveLength(3);
    expect(between.every((r) => r.query.broadcaster_id?.[0] === candidate.channel_id)).toBe(true);
    expect(bench.helix.clips.all).toHaveLength(1);
  });

  it('finds the clip of a call whose answer never came, and does not make a second one', async () => {
    bench.helix.clips.holdAnswers(1);
    const candidate = bench.candidate();
    await bench.db.store.recordClipCandidates([candidate]);
    bench.clipper({}, { requestTimeoutMs: 500 }).start();
    const attempt = await settled(candidate.moment_id);
    expect(attempt.state).toBe('done');
    expect(bench.helix.clips.calls).toHaveLength(1);
    expect(bench.helix.clips.all).toHaveLength(1);
    expect(attempt.clip_id).toBe(bench.helix.clips.all[0]!.id);
    expect((await bench.clipRows()).map((row) => row.clip_id)).toEqual([attempt.clip_id]);
  });

  it('refreshes a user token Twitch stops accepting once on 401, keeps the rotated refresh token, and clips', async () => {
    const first = bench.candidate();
    await bench.db.store.recordClipCandidates([first]);
    const clipper = bench.clipper();
    clipper.start();
    expect((await settled(first.moment_id)).state).toBe('done');

    // The token the clipper validated and used expires (Twitch's last ~4 h).
    const before = await readUserTokenFile(bench.tokenFile);
    bench.helix.expireToken(before.access_token);
    const second = bench.candidate({ channel_id: bench.channelId('beta'), channel: 'beta' });
    await bench.db.store.recordClipCandidates([second]);
    clipper.wake();
    expect((await settled(second.moment_id)).state).toBe('done');
    const after = await readUserTokenFile(bench.tokenFile);
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    const posts = bench.helix.requestsTo('/helix/clips').filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.status)).toEqual([202, 401, 202]);
    expect(posts[2]!.authorization).toBe(`Bearer ${after.access_token}`);
    expect(bench.helix.clips.all).toHaveLength(2);
  });

  it('leaves a channel that answers 403 alone for the configured time, then tries it again', async () => {
    const channelId = bench.channelId('beta');
    bench.helix.clips.refuse(channelId, 'The broadcaster has restricted clips to subscribers');
    const first = bench.candidate({ channel_id: channelId, channel: 'beta' });
    await bench.db.store.recordClipCandidates([first]);
    const clipper = bench.clipper({ notClippableMs: 1_500 });
    clipper.start();
    const refused = await settled(first.moment_id);
    expect(refused).toMatchObject({ state: 'failed', reason: 'not_clippable' });
    expect(refused.detail).toContain('restricted clips to subscribers');
    expect(await bench.metric('clips_created_failed_total', { reason: 'not_clippable' })).toBe(1);

    // Within the block: no call at all.
    const second = bench.candidate({ channel_id: channelId, channel: 'beta' });
    await bench.db.store.recordClipCandidates([second]);
    clipper.wake();
    expect(await settled(second.moment_id)).toMatchObject({
      state: 'skipped',
      reason: 'not_clippable',
    });
    expect(bench.helix.clips.calls).toHaveLength(1);

    // After it: the channel is tried again (and now allows clips).
    bench.helix.clips.allow(channelId);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const third = bench.candidate({ channel_id: channelId, channel: 'beta' });
    await bench.db.store.recordClipCandidates([third]);
    clipper.wake();
    expect((await settled(third.moment_id)).state).toBe('done');
    expect(bench.helix.clips.calls).toHaveLength(2);
  });

  it('skips a channel that is offline, whether the pipeline or Twitch says so', async () => {
    const ended = bench.candidate({ channel_id: '999', channel: 'nobody' });
    const gone = bench.candidate({ channel_id: bench.channelId('alpha') });
    await bench.db.store.recordClipCandidates([ended]);
    bench.clipper().start();
    expect(await settled(ended.moment_id)).toMatchObject({ state: 'skipped', reason: 'offline' });
    expect(bench.helix.clips.calls).toHaveLength(0);

    bench.helix.removeStream('alpha');
    await bench.db.store.recordClipCandidates([gone]);
    expect(await settled(gone.moment_id)).toMatchObject({ state: 'skipped', reason: 'offline' });
    expect(bench.helix.clips.calls.map((call) => call.status)).toEqual([404]);
  });

  it('fails with the reason on another 4xx and does not call again', async () => {
    bench.helix.forceNextResponses(422);
    const candidate = bench.candidate();
    await bench.db.store.recordClipCandidates([candidate]);
    bench.clipper().start();
    expect(await settled(candidate.moment_id)).toMatchObject({
      state: 'failed',
      reason: 'http_422',
    });
    expect(bench.helix.requestsTo('/helix/clips').filter((r) => r.method === 'POST')).toHaveLength(
      1,
    );
    expect(await bench.metric('clips_created_failed_total', { reason: 'http_422' })).toBe(1);
  });

  it('gives up on a clip Twitch accepted but never shows, after the checks', async () => {
    bench.helix.clips.failProcessing(1);
    const candidate = bench.candidate();
    await bench.db.store.recordClipCandidates([candidate]);
    bench.clipper().start();
    expect(await settled(candidate.moment_id)).toMatchObject({
      state: 'failed',
      reason: 'not_confirmed',
    });
    const checks = bench.helix
      .requestsTo('/helix/clips')
      .filter((r) => r.method === 'GET' && r.query.id !== undefined);
    expect(checks).toHaveLength(4);
    expect(await bench.clipRows()).toEqual([]);
  });

  it('does not call for a moment whose peak no clip could hold any more', async () => {
    const stale = bench.candidate({ peak_ts: Date.now() - 120_000 });
    await bench.db.store.recordClipCandidates([stale]);
    bench.clipper().start();
    expect(await settled(stale.moment_id)).toMatchObject({ state: 'skipped', reason: 'too_late' });
    expect(bench.helix.clips.calls).toHaveLength(0);
  });

  it('holds the global cap per minute and the per-channel cooldown', async () => {
    const alpha = bench.channelId('alpha');
    const beta = bench.channelId('beta');
    const gamma = bench.channelId('gamma');
    // Moments that could wait minutes for their clip, so waiting is what the limits do to them.
    const clip_by = Date.now() + 600_000;
    const candidates = [
      bench.candidate({ channel_id: alpha, clip_by }),
      bench.candidate({ channel_id: alpha, clip_by }),
      bench.candidate({ channel_id: beta, channel: 'beta', clip_by }),
      bench.candidate({ channel_id: gamma, channel: 'gamma', clip_by }),
    ];
    await bench.db.store.recordClipCandidates(candidates);
    bench.clipper({ limits: { perMinute: 2, channelCooldownMs: 45_000 } }).start();
    await poll(async () => (bench.helix.clips.all.length === 2 ? true : undefined), SETTLE_MS);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bench.helix.clips.calls).toHaveLength(2);
    const attempts = await Promise.all(candidates.map((c) => bench.attempt(c.moment_id)));
    const waiting = attempts.filter((attempt) => attempt.state === 'pending');
    expect(waiting).toHaveLength(2);
    const firstCall = Math.min(...bench.helix.clips.calls.map((call) => call.at));
    for (const attempt of waiting) {
      // The second alpha moment waits for alpha's cooldown or the cap, whichever is later.
      const due = attempt.next_try_at.getTime();
      expect(due).toBeGreaterThanOrEqual(firstCall + 45_000 - 1_000);
    }
  });

  it('stores a clip made while the database was unreachable, once it is back', async () => {
    let cut: Promise<void> | undefined;
    bench.helix.clips.onCall(() => {
      cut ??= bench.cutDatabase();
    });
    const candidate = bench.candidate();
    await bench.db.store.recordClipCandidates([candidate]);
    bench.clipper().start();
    await poll(async () => (cut === undefined ? undefined : cut.then(() => true)), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await bench.reopenDatabase();
    const attempt = await settled(candidate.moment_id);
    expect(attempt.state).toBe('done');
    expect(bench.helix.clips.calls).toHaveLength(1);
    expect((await bench.clipRows()).map((row) => row.clip_id)).toEqual([
      bench.helix.clips.all[0]!.id,
    ]);
  });
});
