// What stream discovery can be told, with its defaults. Nothing here reads the environment: the
// wiring maps TWITCH_* / JOIN_RANK / LEAVE_RANK onto these fields and validates them at start.
import type { EventSink } from '../publish-queue.ts';
import type { Logger } from '../../ops/logger.ts';
import type { HelixGetter, Sleep } from './helix-client.ts';
import { DEFAULT_JOIN_RANK, DEFAULT_LEAVE_RANK } from './stream-ranking.ts';
import type { TwitchMetrics } from './twitch-metrics.ts';

/** The chat side's instructions after a poll that changed the watched set. */
export interface WatchChanges {
  /** Logins to join, best rank first. */
  joins: string[];
  /** Logins to leave (fell below the leave rank, went offline, or denied). */
  leaves: string[];
  /** The whole watched set after the change, best rank first. */
  watched: string[];
}

export interface StreamDiscoveryOptions {
  /** Helix access: a `HelixClient`. */
  client: HelixGetter;
  /** Receives 'lifecycle' and 'viewers' events, once per successful poll. */
  publisher: EventSink;
  /** Called after a successful poll that joined or left channels; a throw is logged, not fatal. */
  onChanges?: (changes: WatchChanges) => void;
  /** Time between the starts of two polls. Default 120 000 ms. */
  pollIntervalMs?: number;
  /** How many top streams are ranked (top N). Default 100; must be >= leaveRank. */
  topN?: number;
  /** JOIN_RANK: join a channel at this rank or better. Default 15. */
  joinRank?: number;
  /** LEAVE_RANK: leave a watched channel only below this rank (or offline). Default 30. */
  leaveRank?: number;
  /** Logins always watched while live, whatever their rank or the filters. */
  allow?: readonly string[];
  /** Logins never watched nor reported; they take no rank. Wins over `allow`. */
  deny?: readonly string[];
  /** Only streams in these languages (e.g. `en`). Default: all. */
  languages?: readonly string[];
  /** Only streams in these categories (Twitch game ids). Default: all. */
  gameIds?: readonly string[];
  /** Only these channels (logins) are candidates; `topN` still applies. Default: all of Twitch. */
  channels?: readonly string[];
  /** Streams with fewer viewers are not ranked. Default 0. */
  minViewers?: number;
  /** Epoch ms for event times. Default Date.now. */
  clock?: () => number;
  /** The poll timer. Default: real timers. */
  sleep?: Sleep;
  /** Default: a private registry. Share the HelixClient's so one registry exports both. */
  metrics?: TwitchMetrics;
  logger?: Logger;
}

export const DISCOVERY_DEFAULTS = {
  pollIntervalMs: 120_000,
  topN: 100,
  joinRank: DEFAULT_JOIN_RANK,
  leaveRank: DEFAULT_LEAVE_RANK,
  minViewers: 0,
} as const;

/** The numeric settings with defaults filled in; refuses values that cannot work. */
export function resolveDiscoveryNumbers(options: StreamDiscoveryOptions): {
  pollIntervalMs: number;
  topN: number;
  minViewers: number;
} {
  const pollIntervalMs = options.pollIntervalMs ?? DISCOVERY_DEFAULTS.pollIntervalMs;
  const topN = options.topN ?? DISCOVERY_DEFAULTS.topN;
  const leaveRank = options.leaveRank ?? DISCOVERY_DEFAULTS.leaveRank;
  const minViewers = options.minViewers ?? DISCOVERY_DEFAULTS.minViewers;
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs < 1) {
    throw new RangeError(`poll interval must be > 0 ms, got ${pollIntervalMs}`);
  }
  // A watched channel ranked between N and the leave rank would drop out of the list and be
  // left early: hysteresis needs to see every rank up to the leave rank.
  if (!Number.isInteger(topN) || topN < leaveRank) {
    throw new RangeError(
      `top N must be a whole number >= the leave rank (${leaveRank}), got ${topN}`,
    );
  }
  if (!Number.isFinite(minViewers) || minViewers < 0) {
    throw new RangeError(`minimum viewers must be >= 0, got ${minViewers}`);
  }
  return { pollIntervalMs, topN, minViewers };
}
