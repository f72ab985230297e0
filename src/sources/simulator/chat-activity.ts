// How busy a chat is from second to second. Real chat is far burstier than a Poisson process:
// the rate itself wanders (the audience drifts over minutes, conversations flare up over tens of
// seconds) and per-second counts scatter around it. Two Ornstein-Uhlenbeck processes on the log
// rate plus gamma-Poisson counts reproduce both.
import type { Random } from './random.ts';

/** Slow drift of the audience's mood and size: minutes. */
const SLOW_TIMESCALE_S = 600;
/** Stationary sd of the slow log-rate: about ±30 % over a stream. */
const SLOW_SD = 0.3;
/** Conversation waves: chat picks up and calms down within tens of seconds. */
const FAST_TIMESCALE_S = 20;
/** Stationary sd of the fast log-rate: waves of about ±15 %. */
const FAST_SD = 0.15;
/** Gamma-Poisson dispersion of one second's count: variance = mean + mean^2 / 8. */
const COUNT_DISPERSION = 8;
/** Subtracting half the log-variance keeps the mean multiplier at 1. */
const LOG_MEAN_CORRECTION = (SLOW_SD * SLOW_SD + FAST_SD * FAST_SD) / 2;

/** Exact one-second step of an OU process: keep part of the value, add fresh noise. */
class OrnsteinUhlenbeck {
  private readonly keep: number;
  private readonly noise: number;
  value: number;

  constructor(random: Random, timescaleS: number, sd: number) {
    this.keep = Math.exp(-1 / timescaleS);
    this.noise = sd * Math.sqrt(1 - this.keep * this.keep);
    // Starts from the stationary distribution, so there is no artificial settling period.
    this.value = random.normal(0, sd);
  }

  advance(random: Random): void {
    this.value = this.value * this.keep + this.noise * random.normal();
  }
}

export class ChatActivity {
  private readonly slow: OrnsteinUhlenbeck;
  private readonly fast: OrnsteinUhlenbeck;

  constructor(random: Random) {
    this.slow = new OrnsteinUhlenbeck(random, SLOW_TIMESCALE_S, SLOW_SD);
    this.fast = new OrnsteinUhlenbeck(random, FAST_TIMESCALE_S, FAST_SD);
  }

  /** Moves one second forward. */
  advance(random: Random): void {
    this.slow.advance(random);
    this.fast.advance(random);
  }

  /** Multiplier on the channel's steady chat rate; averages 1 over a long stream. */
  get level(): number {
    return Math.exp(this.slow.value + this.fast.value - LOG_MEAN_CORRECTION);
  }

  /** The slow part alone: viewer counts follow it, not conversation waves. */
  get audienceLevel(): number {
    return Math.exp(this.slow.value - (SLOW_SD * SLOW_SD) / 2);
  }
}

/** Messages sent in one second, given the expected number. */
export function drawMessageCount(random: Random, expected: number): number {
  return random.negativeBinomial(expected, COUNT_DISPERSION);
}

/** Chat at stream start: a few early birds, then the audience arrives over minutes. */
const RAMP_TIMESCALE_S = 240;
/** Share of the steady rate present in the first second of a stream. */
const RAMP_FLOOR = 0.15;

/** Multiplier on the steady rate `ageS` seconds after the stream went live. */
export function startRamp(ageS: number): number {
  if (ageS <= 0) return RAMP_FLOOR;
  return RAMP_FLOOR + (1 - RAMP_FLOOR) * (1 - Math.exp(-ageS / RAMP_TIMESCALE_S));
}
