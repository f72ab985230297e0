// Every knob of the spike detector, with its default and why.
import type { Signal } from './moment.ts';
export interface DetectorParams {
  /**
   * Widths (seconds) of the windows compared with their baselines, shortest first. A short
   * window catches a sudden eruption in a busy chat; a longer one catches a quiet channel
   * where a dozen people react over 20 s but only three or four in any 5 s.
   */
  windowsS: number[];
  /**
   * Signals tested in every window besides distinct reacting chatters, which is always
   * tested (see `Signal` in moment.ts). Each extra signal costs a little sensitivity (one more
   * test to correct for) and buys moments the chatter count alone misses.
   */
  signals: Signal[];
  /** Half-life of the baseline's exponential average: slow enough that a 30 s spike barely moves it. */
  baselineHalfLifeS: number;
  /** Seconds of a channel's chat needed before it may fire. */
  warmupS: number;
  /**
   * Surprise at which a moment opens: -log10 of the chance of so many chatters in a normal
   * window (see count-tail.ts); 4 = one window in 10,000. Chosen on the simulator's ground
   * truth (`npm run eval`): 3 doubles the false alarms, 5 misses quiet channels' highlights.
   */
  threshold: number;
  /** A moment closes after the score has stayed below this for `closeAfterS` seconds. */
  exitThreshold: number;
  closeAfterS: number;
  /** Longest moment: after this it is reported even if chat stays high. */
  maxMomentS: number;
  /**
   * Seconds an open moment's busiest second must stay its busiest before the peak is reported
   * as passed (`EngineOutput.peaks`), which is when a clip is taken. Twitch clips the seconds
   * just before the call, so every second of waiting moves the peak towards the clip's start;
   * 2 s lets a burst that is still building reach its top first (chat peaks last 2-5 s).
   */
  peakHoldS: number;
  /** Quiet time after a moment before another may open in the same channel. */
  cooldownS: number;
  /** Fewest distinct reacting chatters in the firing window: three people are not a crowd. */
  minChatters: number;
  /**
   * Floor of the baseline (chatters per shortest window; scaled for longer ones) when
   * scoring: in a channel that was silent,
   * the first few people would otherwise look infinitely surprising.
   */
  minBaselineChatters: number;
  /** How late (ms) an event may arrive and still count: the watermark trails the newest event by this. */
  latenessMs: number;
}

export const DEFAULT_DETECTOR_PARAMS: DetectorParams = {
  windowsS: [5, 20],
  signals: ['emotes'],
  baselineHalfLifeS: 120,
  warmupS: 30,
  threshold: 4,
  exitThreshold: 2,
  closeAfterS: 3,
  maxMomentS: 60,
  peakHoldS: 2,
  cooldownS: 30,
  minChatters: 5,
  minBaselineChatters: 0.25,
  latenessMs: 5_000,
};

/**
 * Half-lives of replay after which a rebuilt baseline is within 2^-12 (0.025 %) of the
 * original. Far-out tail probabilities amplify a baseline's error (a score of 20 moved 1 % with
 * 10 half-lives): 12 keep every score within 1 % (test/processing/state-handover.test.ts).
 */
const REBUILD_HALF_LIVES = 12;

/**
 * How much of a channel's recent chat to replay to rebuild its detector state, e.g. when a
 * processor takes over a partition: the baseline converges, and every shorter-lived piece of
 * state (windows, repeat filter, raid window, cooldown, an open moment) is rebuilt exactly.
 */
/**
 * How far into a replay of `stateRebuildWindowMs` the state has converged: from there on what it
 * finds is what uninterrupted state finds (the rest of the window rebuilds the shorter-lived
 * state of the moments that open after this point).
 */
export function stateConvergedAfterMs(params: DetectorParams): number {
  return REBUILD_HALF_LIVES * params.baselineHalfLifeS * 1000;
}

export function stateRebuildWindowMs(params: DetectorParams): number {
  const longestWindowS = Math.max(...params.windowsS);
  const memoryS =
    REBUILD_HALF_LIVES * params.baselineHalfLifeS + longestWindowS + params.maxMomentS;
  return memoryS * 1000 + params.latenessMs;
}
