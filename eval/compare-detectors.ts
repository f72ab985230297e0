// Our detector and the reference rule on the same simulated chat, scored against the highlights
// the simulator planted: what `npm run eval` prints and what the evaluation test asserts.
import type { StreamEvent } from '../src/events/schema.ts';
import {
  evaluateDetections,
  type DetectionQuality,
  type Span,
} from '../src/processing/evaluate-detections.ts';
import type { Moment } from '../src/processing/moment.ts';
import { detectMoments } from '../src/processing/offline-detection.ts';
import { ReferenceRule } from '../src/processing/reference-rule.ts';
import { ChatSimulator } from '../src/sources/simulator/chat-simulator.ts';

export type Detector = 'streamScout' | 'reference';

export const DETECTOR_LABELS: Record<Detector, string> = {
  streamScout: 'stream scout',
  reference: 'reference rule',
};

export interface SimulationRun {
  seed: number;
  channels: number;
  durationS: number;
}

/** One simulation: what was planted and what each detector found. */
export interface SeedResult extends SimulationRun {
  events: number;
  /** Planted highlights that end within the run: one cut off by the end is only partly there. */
  highlights: Span[];
  moments: Record<Detector, Span[]>;
  /** Simulation and both detectors. */
  elapsedMs: number;
}

export interface DetectorScore {
  quality: DetectionQuality;
  moments: number;
  momentsPerChannelHour: number;
}

/** A fixed start, as `streamscout simulate` has: results depend only on seed and size. */
const START_TS = Date.parse('2026-01-01T00:00:00Z');

/** Simulates one run with the default simulator options and runs both detectors over it. */
export async function runSeed(run: SimulationRun): Promise<SeedResult> {
  const started = performance.now();
  const simulator = new ChatSimulator({
    seed: run.seed,
    channels: run.channels,
    startTs: START_TS,
  });
  const endTs = START_TS + run.durationS * 1000;
  const reference = new ReferenceRule();
  const referenceMoments: Moment[] = [];
  let events = 0;

  // One pass feeds both detectors, so the run is never held in memory (an hour of 30 channels
  // is close to a million events): the reference rule is pushed each event on its way to ours.
  function* feedReference(): Generator<StreamEvent> {
    for (const event of simulator.events(START_TS, endTs)) {
      events += 1;
      referenceMoments.push(...reference.ingest(event));
      yield event;
    }
    referenceMoments.push(...reference.finish());
  }
  const ourMoments: Moment[] = [];
  for await (const moment of detectMoments(feedReference()).moments) ourMoments.push(moment);

  return {
    ...run,
    events,
    highlights: simulator.highlights().filter((highlight) => highlight.end_ts <= endTs),
    moments: { streamScout: ourMoments, reference: referenceMoments },
    elapsedMs: performance.now() - started,
  };
}

/**
 * Scores each detector over one or more runs taken together: true and false positives and
 * negatives are summed over the runs, and the median delay is over all matched highlights.
 */
export function scoreDetectors(results: readonly SeedResult[]): Record<Detector, DetectorScore> {
  const channelHours = results.reduce((sum, run) => sum + (run.channels * run.durationS) / 3600, 0);
  const score = (detector: Detector): DetectorScore => {
    const moments = results.flatMap((run) => run.moments[detector].map(inRun(run.seed)));
    const highlights = results.flatMap((run) => run.highlights.map(inRun(run.seed)));
    return {
      quality: evaluateDetections(moments, highlights),
      moments: moments.length,
      momentsPerChannelHour: moments.length / channelHours,
    };
  };
  return { streamScout: score('streamScout'), reference: score('reference') };
}

/**
 * A span keyed by run as well as channel: runs with different seeds may reuse channel ids, and a
 * moment of one run must never match a highlight of another.
 */
function inRun(seed: number): (span: Span) => Span {
  return (span) => ({
    channel_id: `${seed}/${span.channel_id}`,
    start_ts: span.start_ts,
    end_ts: span.end_ts,
  });
}
