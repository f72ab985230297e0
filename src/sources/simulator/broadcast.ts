// One channel's broadcasts: going live and offline, title and game changes, and the viewer count
// Helix would report once a minute.
import type { Lifecycle, StreamEvent, Viewers } from '../../events/schema.ts';
import { SCHEMA_VERSION } from '../../events/schema.ts';
import type { SimChannel } from './channels.ts';
import { startRamp } from './chat-activity.ts';
import { streamId } from './ids.ts';
import type { ResolvedOptions } from './options.ts';
import type { Random } from './random.ts';
import { gameNamed, pickGame, streamTitle } from './stream-catalog.ts';

/** Helix viewer counts are sampled once a minute. */
const VIEWERS_EVERY_S = 60;
/** Viewers arrive more slowly than the first chatters: their ramp is this much longer. */
const VIEWER_RAMP_STRETCH = 2;
/** Minute-to-minute jitter of the viewer count (relative sd). */
const VIEWERS_JITTER = 0.01;
/** Raiders drift away over this many seconds (e-folding): the share still here after a second. */
const RAID_GUEST_STAY_S = 900;
const RAID_GUESTS_KEPT_PER_SECOND = Math.exp(-1 / RAID_GUEST_STAY_S);
/** A raider chats this much as a regular viewer does, while they stay. */
const RAID_GUEST_CHATTINESS = 0.6;
/** Mean seconds between title changes and between game changes in one broadcast. */
const TITLE_CHANGE_MEAN_S = 5400;
const GAME_CHANGE_MEAN_S = 3 * 3600;
/** How far into its broadcast a stream already is when the run starts, as a share of its length. */
const MID_STREAM_SHARE = { min: 0.05, max: 0.8 };
/** Odds that a new broadcast comes with a new title or a new game. */
const NEW_TITLE_ODDS = 0.6;
const NEW_GAME_ODDS = 0.3;

export class Broadcast {
  live = false;
  streamId = '';
  startedAt = 0;
  title: string;
  game: string;
  private readonly channel: SimChannel;
  private readonly options: ResolvedOptions;
  private endsAt = 0;
  private backAt = 0;
  private nextTitleChangeAt = Infinity;
  private nextGameChangeAt = Infinity;
  /** Second offset (within the minute) at which this channel's viewer count is sampled. */
  private readonly viewersPhaseS: number;
  private raidGuests = 0;

  constructor(channel: SimChannel, options: ResolvedOptions, random: Random) {
    this.channel = channel;
    this.options = options;
    this.title = channel.title;
    this.game = channel.game;
    this.viewersPhaseS = random.int(0, VIEWERS_EVERY_S);
    this.backAt = options.startTs;
  }

  /** Seconds since this broadcast went live. */
  ageS(ts: number): number {
    return (ts - this.startedAt) / 1000;
  }

  /** Seconds until this broadcast ends (it can only be foreseen by the simulator). */
  remainingS(ts: number): number {
    return (this.endsAt - ts) / 1000;
  }

  /** Multiplier on chat from raiders still hanging around. */
  get raidAfterglow(): number {
    return 1 + (RAID_GUEST_CHATTINESS * this.raidGuests) / this.channel.viewers;
  }

  welcomeRaid(viewers: number): void {
    this.raidGuests += viewers;
  }

  /** Viewers right now without sampling noise: the regular audience plus raiders still here. */
  expectedViewers(second: number, audienceLevel: number): number {
    const ramp = startRamp(this.ageS(second) / VIEWER_RAMP_STRETCH);
    return this.channel.viewers * ramp * audienceLevel + this.raidGuests;
  }

  /**
   * Advances one second and emits the lifecycle and viewer events due in it. Tells when the
   * channel went online or offline in this second, so per-broadcast plans can be reset.
   */
  step(
    second: number,
    random: Random,
    audienceLevel: number,
    out: StreamEvent[],
  ): 'online' | 'offline' | undefined {
    this.raidGuests *= RAID_GUESTS_KEPT_PER_SECOND;
    if (!this.live) {
      if (second < this.backAt) return undefined;
      this.goLive(second, random, out);
      return 'online';
    }
    if (second >= this.endsAt) {
      this.goOffline(second, random, out);
      return 'offline';
    }
    this.maybeChangeMetadata(second, random, out);
    if (this.isViewerSample(second)) out.push(this.viewersEvent(second, random, audienceLevel));
    return undefined;
  }

  private goLive(second: number, random: Random, out: StreamEvent[]): void {
    const firstBroadcast = this.streamId === '';
    const lengthS = random.uniform(this.options.streamLengthS.min, this.options.streamLengthS.max);
    // The run starts in the middle of most streams; later broadcasts start when they start.
    const ageS =
      firstBroadcast && !random.chance(this.options.freshStartShare)
        ? random.uniform(MID_STREAM_SHARE.min, MID_STREAM_SHARE.max) * lengthS
        : 0;
    if (!firstBroadcast) this.refreshMetadata(random);
    this.live = true;
    this.streamId = streamId(random);
    this.startedAt = Math.max(0, second - Math.round(ageS * 1000));
    this.endsAt = this.startedAt + Math.round(lengthS * 1000);
    this.nextTitleChangeAt = second + Math.round(random.exponential(TITLE_CHANGE_MEAN_S) * 1000);
    this.nextGameChangeAt = second + Math.round(random.exponential(GAME_CHANGE_MEAN_S) * 1000);
    out.push(this.lifecycle('online', second));
  }

  private goOffline(second: number, random: Random, out: StreamEvent[]): void {
    this.live = false;
    this.raidGuests = 0;
    this.backAt =
      second +
      Math.round(random.uniform(this.options.offlineGapS.min, this.options.offlineGapS.max) * 1000);
    out.push(this.lifecycle('offline', second));
  }

  private refreshMetadata(random: Random): void {
    if (random.chance(NEW_GAME_ODDS)) this.game = pickGame(random).name;
    if (random.chance(NEW_TITLE_ODDS)) this.title = streamTitle(random, gameNamed(this.game));
  }

  private maybeChangeMetadata(second: number, random: Random, out: StreamEvent[]): void {
    if (second >= this.nextGameChangeAt) {
      this.game = pickGame(random).name;
      this.nextGameChangeAt = second + Math.round(random.exponential(GAME_CHANGE_MEAN_S) * 1000);
      out.push(this.lifecycle('game', second));
    }
    if (second >= this.nextTitleChangeAt) {
      this.title = streamTitle(random, gameNamed(this.game));
      this.nextTitleChangeAt = second + Math.round(random.exponential(TITLE_CHANGE_MEAN_S) * 1000);
      out.push(this.lifecycle('title', second));
    }
  }

  private isViewerSample(second: number): boolean {
    const sinceStartS = Math.round((second - this.options.startTs) / 1000);
    return sinceStartS % VIEWERS_EVERY_S === this.viewersPhaseS;
  }

  private viewersEvent(second: number, random: Random, audienceLevel: number): Viewers {
    const viewers =
      this.expectedViewers(second, audienceLevel) * (1 + random.normal(0, VIEWERS_JITTER));
    return {
      v: SCHEMA_VERSION,
      type: 'viewers',
      channel_id: this.channel.id,
      ts: second,
      channel: this.channel.login,
      stream_id: this.streamId,
      viewers: Math.max(0, Math.round(viewers)),
    };
  }

  private lifecycle(kind: Lifecycle['kind'], second: number): Lifecycle {
    const event: Lifecycle = {
      v: SCHEMA_VERSION,
      type: 'lifecycle',
      channel_id: this.channel.id,
      ts: second,
      kind,
      channel: this.channel.login,
      display_name: this.channel.displayName,
      stream_id: this.streamId,
    };
    if (kind === 'offline') return event;
    event.title = this.title;
    event.game = this.game;
    event.language = this.channel.language;
    event.started_at = this.startedAt;
    return event;
  }
}
