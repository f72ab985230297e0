// What a simulation run can be told, with defaults that look like a slice of Twitch's top streams.
import { DEFAULT_CHAT_RATE, type Range } from './channels.ts';

export interface SimulatorOptions {
  /** Seed of every random choice: same seed and options give the same events. */
  seed: number;
  /** Number of simulated channels. */
  channels: number;
  /** Simulation start, epoch ms: every stream is live from here. */
  startTs: number;
  /** Steady chat rate of the quietest and the busiest channel, messages per second. */
  chatRate?: Range;
  /** Mean seconds between highlights; each channel draws its own mean from this range. */
  highlightEveryS?: Range;
  /** Seconds a highlight lasts, from the first reaction to chat back to normal. */
  highlightDurationS?: Range;
  /** Peak chat rate of a highlight as a multiple of the rate just before it. */
  highlightIntensity?: Range;
  /** Fewest reaction messages in a highlight, so quiet channels still have a visible moment. */
  highlightMinMessages?: number;
  /** No highlight in the first seconds of a stream or of the run: nobody knows "normal" yet. */
  highlightWarmupS?: number;
  /** Mean seconds between one-user spam bursts in a channel (per-channel mean from this range). */
  spamEveryS?: Range;
  /** Mean seconds between incoming raids in a channel. */
  raidEveryS?: Range;
  /** Mean seconds between giveaways, where many chatters type the same command at once. */
  giveawayEveryS?: Range;
  /** Length of one broadcast, seconds. */
  streamLengthS?: Range;
  /** Seconds a channel stays offline between two broadcasts. */
  offlineGapS?: Range;
  /** Share of channels whose stream starts at the start of the run (in their start ramp). */
  freshStartShare?: number;
  /** New subscriptions (all kinds) per viewer per hour. */
  subsPerViewerHour?: number;
}

export type ResolvedOptions = Required<SimulatorOptions>;

export const DEFAULT_OPTIONS = {
  chatRate: DEFAULT_CHAT_RATE,
  highlightEveryS: { min: 300, max: 900 },
  highlightDurationS: { min: 5, max: 30 },
  highlightIntensity: { min: 3, max: 20 },
  highlightMinMessages: 12,
  highlightWarmupS: 300,
  spamEveryS: { min: 900, max: 3600 },
  raidEveryS: { min: 3600, max: 14_400 },
  giveawayEveryS: { min: 2700, max: 10_800 },
  streamLengthS: { min: 2 * 3600, max: 8 * 3600 },
  offlineGapS: { min: 600, max: 3600 },
  freshStartShare: 0.15,
  subsPerViewerHour: 0.003,
} as const satisfies Omit<ResolvedOptions, 'seed' | 'channels' | 'startTs'>;

/** Fills in defaults and rejects values that would make a meaningless simulation. */
export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  const resolved: ResolvedOptions = { ...DEFAULT_OPTIONS, ...withoutUndefined(options) };
  requireInteger('seed', resolved.seed, Number.MIN_SAFE_INTEGER);
  requireInteger('channels', resolved.channels, 1);
  requireInteger('startTs', resolved.startTs, 0);
  requireRange('chatRate', resolved.chatRate, Number.MIN_VALUE);
  requireRange('highlightEveryS', resolved.highlightEveryS, 1);
  requireRange('highlightDurationS', resolved.highlightDurationS, 2);
  requireRange('highlightIntensity', resolved.highlightIntensity, 1);
  requireRange('spamEveryS', resolved.spamEveryS, 1);
  requireRange('raidEveryS', resolved.raidEveryS, 1);
  requireRange('giveawayEveryS', resolved.giveawayEveryS, 1);
  requireRange('streamLengthS', resolved.streamLengthS, 60);
  requireRange('offlineGapS', resolved.offlineGapS, 1);
  requireInteger('highlightMinMessages', resolved.highlightMinMessages, 0);
  requireInteger('highlightWarmupS', resolved.highlightWarmupS, 0);
  requireFraction('freshStartShare', resolved.freshStartShare);
  requireFraction('subsPerViewerHour', resolved.subsPerViewerHour);
  return resolved;
}

function withoutUndefined(options: SimulatorOptions): SimulatorOptions {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as unknown as SimulatorOptions;
}

function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
}

function requireRange(name: string, range: Range, min: number): void {
  if (!(
    Number.isFinite(range.min) &&
    Number.isFinite(range.max) &&
    range.min >= min &&
    range.max >= range.min
  )) {
    throw new RangeError(
      `${name} must be a range with ${min} <= min <= max, got ${JSON.stringify(range)}`,
    );
  }
}

function requireFraction(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) {
    throw new RangeError(`${name} must be between 0 and 1, got ${value}`);
  }
}
