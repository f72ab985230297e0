// Stream discovery: polls Helix Get Streams on a timer, ranks the live streams, decides which
// chats to read (with hysteresis) and publishes lifecycle and viewers events. A failed poll is
// logged and counted and changes nothing: no stream is declared offline and no chat is left on
// the word of an answer that never came. Polling goes on until stop().
import { silentLogger, type Logger } from '../../ops/logger.ts';
import { sleep as realSleep } from '../../ops/sleep.ts';
import {
  resolveDiscoveryNumbers,
  type StreamDiscoveryOptions,
  type WatchChanges,
} from './discovery-options.ts';
import { getStreams, type StreamQuery } from './get-streams.ts';
import type { HelixGetter, Sleep } from './helix-client.ts';
import type { LiveStream } from './live-stream.ts';
import { snapshotOf, streamEvents, type StreamSnapshot } from './stream-lifecycle.ts';
import { rankingPolicy, rankStreams, type RankingPolicy } from './stream-ranking.ts';
import { TwitchMetrics } from './twitch-metrics.ts';

export type PollOutcome =
  { ok: true; events: number; joins: string[]; leaves: string[] } | { ok: false; error: unknown };

export class StreamDiscovery {
  private readonly options: StreamDiscoveryOptions;
  private readonly client: HelixGetter;
  private readonly policy: RankingPolicy;
  private readonly pollIntervalMs: number;
  private readonly topN: number;
  private readonly query: StreamQuery;
  private readonly clock: () => number;
  private readonly sleep: Sleep;
  private readonly metrics: TwitchMetrics;
  private readonly logger: Logger;
  private snapshot: StreamSnapshot = new Map();
  private watchedLogins: string[] = [];
  private inFlight: Promise<PollOutcome> | undefined;
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;

  constructor(options: StreamDiscoveryOptions) {
    const { pollIntervalMs, topN, minViewers } = resolveDiscoveryNumbers(options);
    this.options = options;
    this.client = options.client;
    this.policy = rankingPolicy(options);
    this.pollIntervalMs = pollIntervalMs;
    this.topN = topN;
    this.query = {
      languages: options.languages,
      gameIds: options.gameIds,
      userLogins: options.channels,
      minViewers,
      // Denied streams are dropped after the fetch; ask for enough that N remain.
      limit: topN + this.policy.deny.size,
    };
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.metrics = options.metrics ?? new TwitchMetrics();
    this.logger = options.logger ?? silentLogger;
  }

  /** Logins whose chat should be read now, best rank first (allow-listed unranked ones last). */
  get watched(): readonly string[] {
    return this.watchedLogins;
  }

  /** The live streams of the last successful poll, ranked ones first. */
  get streams(): readonly LiveStream[] {
    return [...this.snapshot.values()];
  }

  /** Polls now, then every poll interval (measured start to start) until stop(). */
  start(): void {
    this.startLoop(undefined);
  }

  /**
   * Polls once and waits for the outcome, then goes on polling every interval as `start()`
   * does. For a process start: wrong credentials or base addresses show at once, not as a
   * warning two minutes later. The loop runs whatever the outcome; the caller may stop it.
   */
  async startWithFirstPoll(): Promise<PollOutcome> {
    const startedAt = this.clock();
    const outcome = await this.pollOnce();
    this.startLoop(startedAt);
    return outcome;
  }

  private startLoop(firstPollStartedAt: number | undefined): void {
    if (this.loop !== undefined) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loop = this.run(abort.signal, firstPollStartedAt).catch((error: unknown) => {
      this.logger.error({ err: error }, 'stream discovery stopped');
    });
  }

  /** Stops the timer and waits for a poll in progress (its requests are aborted). */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.loop = undefined;
    this.abort = undefined;
  }

  /**
   * One poll: fetch, diff, publish, rank, then commit the new state. Never throws; a failure
   * leaves the previous snapshot and watched set as they were. Concurrent calls share one poll.
   */
  pollOnce(signal?: AbortSignal): Promise<PollOutcome> {
    this.inFlight ??= this.poll(signal).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** `polledAt`: when a poll already done by the caller started; the loop waits out its interval. */
  private async run(signal: AbortSignal, polledAt: number | undefined): Promise<void> {
    let startedAt = polledAt;
    while (!signal.aborted) {
      if (startedAt !== undefined) {
        await this.sleep(Math.max(0, startedAt + this.pollIntervalMs - this.clock()), signal);
        if (signal.aborted) return;
      }
      startedAt = this.clock();
      await this.pollOnce(signal);
    }
  }

  private async poll(signal?: AbortSignal): Promise<PollOutcome> {
    try {
      const { snapshot, ranked } = await this.fetchSnapshot(signal);
      // Stamped when Twitch's answer is in: retries and rate-limit waits can take a minute.
      const events = streamEvents(this.snapshot, snapshot, this.clock());
      // Published before the state moves on: if the log refuses them, the next poll derives
      // the same changes again instead of losing them.
      if (events.length > 0) await this.options.publisher.publish(events);
      const ranking = rankStreams(
        { watched: this.watchedLogins, ranked, live: [...snapshot.values()].map((s) => s.login) },
        this.policy,
      );
      this.snapshot = snapshot;
      this.watchedLogins = ranking.watched;
      this.metrics.activeStreams.set(snapshot.size);
      this.metrics.discoveryPolls.inc({ outcome: 'ok' });
      if (ranking.joins.length > 0 || ranking.leaves.length > 0) {
        this.announce({ joins: ranking.joins, leaves: ranking.leaves, watched: ranking.watched });
      }
      return { ok: true, events: events.length, joins: ranking.joins, leaves: ranking.leaves };
    } catch (error) {
      if (signal?.aborted === true) return { ok: false, error };
      this.metrics.discoveryPolls.inc({ outcome: 'failed' });
      this.logger.warn(
        { err: error, live: this.snapshot.size, watched: this.watchedLogins.length },
        'Get Streams poll failed; keeping the previous streams and watched channels',
      );
      return { ok: false, error };
    }
  }

  /**
   * The fresh picture: the ranked top N, allow-listed streams outside it, and every stream of
   * the previous snapshot that is not in either, checked by user id. Only that check may call a
   * stream offline: one that merely dropped out of the top N (or was skipped by paging over a
   * moving list) is still live and stays tracked until Twitch says it has ended.
   */
  private async fetchSnapshot(
    signal?: AbortSignal,
  ): Promise<{ snapshot: Map<string, LiveStream>; ranked: string[] }> {
    const context = { signal, logger: this.logger };
    const notDenied = (stream: LiveStream): boolean => !this.policy.deny.has(stream.login);
    const top = (await getStreams(this.client, this.query, context))
      .filter(notDenied)
      .slice(0, this.topN);
    const found = snapshotOf(top);
    const foundLogins = new Set(top.map((stream) => stream.login));
    const allowMissing = [...this.policy.allow].filter((login) => !foundLogins.has(login));
    if (allowMissing.length > 0) {
      const allowed = await getStreams(
        this.client,
        { userLogins: allowMissing, limit: allowMissing.length },
        context,
      );
      for (const stream of allowed.filter(notDenied)) {
        if (!found.has(stream.channelId)) found.set(stream.channelId, stream);
      }
    }
    const unseen = [...this.snapshot.keys()].filter((channelId) => !found.has(channelId));
    if (unseen.length > 0) {
      const stillLive = await getStreams(
        this.client,
        { userIds: unseen, limit: unseen.length },
        context,
      );
      for (const stream of stillLive.filter(notDenied)) {
        if (!found.has(stream.channelId)) found.set(stream.channelId, stream);
      }
    }
    return { snapshot: found, ranked: top.map((stream) => stream.login) };
  }

  private announce(changes: WatchChanges): void {
    this.logger.info(
      { joins: changes.joins, leaves: changes.leaves, watched: changes.watched.length },
      'watched channels changed',
    );
    try {
      this.options.onChanges?.(changes);
    } catch (error) {
      this.logger.error({ err: error }, 'the watched-channel listener failed');
    }
  }
}
