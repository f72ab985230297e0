// Planted highlights: something happens on stream and chat erupts. Many different people react
// at once with the same emotes and short shouts; the rate rises within seconds, peaks, then
// decays. Each one is recorded as ground truth for measuring detection quality.
import type { SimChannel } from './channels.ts';
import { MOOD_EMOTES, type EmoteDef, type Mood } from './emotes.ts';
import type { ResolvedOptions } from './options.ts';
import { WeightedChoice, type Random } from './random.ts';

/** Ground truth: one planted highlight. */
export interface Highlight {
  channel_id: string;
  channel: string;
  /** First second of the reaction (epoch ms, on a second boundary). */
  start_ts: number;
  /** Start of the second with the highest expected rate. */
  peak_ts: number;
  /** End of the reaction (exclusive): chat is back to its base rate. */
  end_ts: number;
  /** Expected chat rate at the peak divided by the base rate just before. */
  intensity: number;
}

/** A highlight under way, with what chat shouts during it. */
export interface ActiveHighlight {
  readonly truth: Highlight;
  readonly mood: Mood;
  /** The emotes everybody spams, most spammed first. */
  readonly emotes: readonly EmoteDef[];
}

interface Burst extends ActiveHighlight {
  /** When each reaction message is sent (epoch ms, sorted); normal chat goes on besides. */
  readonly reactionTimes: Float64Array;
  /** Index of the first reaction not handed out yet. */
  next: number;
}

const NO_REACTIONS = new Float64Array(0);

/** What chat reacts to, by how often streams produce it. */
const moodChoice = new WeightedChoice<Mood>([
  ['hype', 0.34],
  ['funny', 0.34],
  ['fail', 0.12],
  ['scary', 0.06],
  ['sad', 0.04],
  ['vibe', 0.1],
]);

/** Subscriber-emote suffixes that fit each mood ("xqcLUL" for a funny moment). */
const MOOD_SUFFIXES: Record<Mood, readonly string[]> = {
  hype: ['Hype', 'Pog', 'W', 'GG', 'Clap'],
  funny: ['LUL'],
  fail: ['L', 'Rage'],
  scary: ['Rage', 'Think'],
  sad: ['Sad', 'Cry'],
  vibe: ['Cozy', 'Love', 'Heart'],
};

/** Highlights are never closer than this, so ground-truth spans never overlap. */
const MIN_GAP_S = 60;
/** Shape of the gap distribution (gamma): more regular than Poisson arrivals. */
const GAP_SHAPE = 3;
/** At the end of a highlight the reaction rate is down to this share of its peak. */
const END_LEVEL = 0.1;
/** Chat peaks within seconds: the rise takes this share of the highlight, 1 to 3 seconds. */
const RISE_SHARE = { min: 0.05, max: 0.2 };
const MAX_RISE_S = 3;
/** How long the reaction of a quiet channel's small crowd lasts. */
const SMALL_CROWD_DURATION_S = 10;

export class HighlightPlanner {
  private readonly channel: SimChannel;
  private readonly options: ResolvedOptions;
  private readonly meanGapS: number;
  private nextStartTs = Infinity;
  private burst: Burst | undefined;

  constructor(channel: SimChannel, options: ResolvedOptions, random: Random) {
    this.channel = channel;
    this.options = options;
    this.meanGapS = random.uniform(options.highlightEveryS.min, options.highlightEveryS.max);
  }

  get active(): ActiveHighlight | undefined {
    return this.burst;
  }

  /** A broadcast began (or the run did): the first highlight waits for the warm-up. */
  onBroadcastStart(second: number, random: Random): void {
    this.burst = undefined;
    this.nextStartTs =
      second + Math.round(this.options.highlightWarmupS + random.uniform(0, this.meanGapS)) * 1000;
  }

  /** The stream ended: so does chat's reaction, and the truth says so. */
  onBroadcastEnd(second: number): void {
    const truth = this.burst?.truth;
    if (truth !== undefined && truth.end_ts > second) {
      truth.end_ts = second;
      truth.peak_ts = Math.min(truth.peak_ts, second);
    }
    this.burst = undefined;
    this.nextStartTs = Infinity;
  }

  /**
   * Send times of the reaction messages in this second (on top of normal chat at `baseRate`),
   * starting a highlight when one is due; a started highlight is appended to `truth`.
   */
  step(second: number, baseRate: number, random: Random, truth: Highlight[]): Float64Array {
    if (this.burst === undefined && second >= this.nextStartTs) {
      this.burst = this.begin(second, baseRate, random);
      truth.push(this.burst.truth);
    }
    const burst = this.burst;
    if (burst === undefined) return NO_REACTIONS;
    if (second >= burst.truth.end_ts) {
      this.burst = undefined;
      this.nextStartTs =
        second +
        Math.round(Math.max(MIN_GAP_S, random.gamma(GAP_SHAPE, this.meanGapS / GAP_SHAPE))) * 1000;
      return NO_REACTIONS;
    }
    const from = burst.next;
    const times = burst.reactionTimes;
    while (burst.next < times.length && (times[burst.next] as number) < second + 1000) {
      burst.next += 1;
    }
    return times.subarray(from, burst.next);
  }

  /**
   * Draws the whole highlight at once: its shape, its size relative to the chat rate just
   * before, and when each reaction is sent. Drawing the total first guarantees quiet channels
   * their minimum crowd, which per-second draws would only give on average.
   */
  private begin(second: number, baseRate: number, random: Random): Burst {
    const { highlightDurationS, highlightIntensity, highlightMinMessages } = this.options;
    const intensity = logUniform(random, highlightIntensity.min, highlightIntensity.max);
    const riseShare = random.uniform(RISE_SHARE.min, RISE_SHARE.max);
    let durationS = random.int(
      Math.round(highlightDurationS.min),
      Math.round(highlightDurationS.max) + 1,
    );
    let shape = burstShape(durationS, riseShare);
    // Quiet channels: a 3x jump of 0.1 msg/s is nothing, yet a real moment still brings a
    // crowd, and a small crowd reacts all at once, not as a trickle over half a minute.
    const crowdFloor = (intensity - 1) * baseRate * shape.total < highlightMinMessages;
    if (crowdFloor && durationS > SMALL_CROWD_DURATION_S) {
      durationS = SMALL_CROWD_DURATION_S;
      shape = burstShape(durationS, riseShare);
    }
    const peakRate = Math.max((intensity - 1) * baseRate, highlightMinMessages / shape.total);
    const reactions = Math.max(highlightMinMessages, random.poisson(peakRate * shape.total));
    const mood = moodChoice.pick(random);
    return {
      truth: {
        channel_id: this.channel.id,
        channel: this.channel.login,
        start_ts: second,
        peak_ts: second + shape.riseS * 1000,
        end_ts: second + durationS * 1000,
        intensity: Math.round(((baseRate + peakRate) / baseRate) * 100) / 100,
      },
      mood,
      emotes: this.burstEmotes(random, mood),
      reactionTimes: reactionTimes(random, second, shape.weights, reactions),
      next: 0,
    };
  }

  /** One or two mood emotes, plus the channel's own emote for that mood when it has one. */
  private burstEmotes(random: Random, mood: Mood): EmoteDef[] {
    const pool = random.shuffle([...MOOD_EMOTES[mood]]);
    const chosen = pool.slice(0, random.chance(0.6) ? 1 : 2);
    const suffixes = MOOD_SUFFIXES[mood];
    const prefix = this.channel.emotePrefix;
    const own = this.channel.emotes.find((emote) =>
      suffixes.some((suffix) => emote.name === prefix + suffix),
    );
    if (own !== undefined) chosen.push(own);
    return chosen;
  }
}

interface BurstShape {
  /** Seconds from the first reaction to the peak. */
  riseS: number;
  /** Relative reaction rate of each second, 1 at the peak. */
  weights: number[];
  total: number;
}

/** Fast linear rise to the peak, then exponential decay down to END_LEVEL at the end. */
function burstShape(durationS: number, riseShare: number): BurstShape {
  const riseS = Math.max(1, Math.min(MAX_RISE_S, Math.round(durationS * riseShare)));
  const decayS = (durationS - riseS) / Math.log(1 / END_LEVEL);
  const weights = Array.from({ length: durationS }, (_, index) =>
    index < riseS ? (index + 1) / (riseS + 1) : Math.exp(-(index - riseS) / decayS),
  );
  return { riseS, weights, total: weights.reduce((sum, weight) => sum + weight, 0) };
}

/** Each reaction lands in a second drawn by the shape's weight, at a uniform millisecond. */
function reactionTimes(
  random: Random,
  startTs: number,
  weights: readonly number[],
  count: number,
): Float64Array {
  const seconds = new WeightedChoice(weights.map((weight, index) => [index, weight] as const));
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    times[i] = startTs + seconds.pick(random) * 1000 + random.int(0, 1000);
  }
  return times.sort();
}

function logUniform(random: Random, min: number, max: number): number {
  return min * Math.exp(random.next() * Math.log(max / min));
}
