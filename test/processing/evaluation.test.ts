import { beforeAll, describe, expect, it } from 'vitest';
import {
  runSeed,
  scoreDetectors,
  type Detector,
  type DetectorScore,
  type SeedResult,
} from '../../eval/compare-detectors.ts';

let scores: Record<Detector, DetectorScore>;
let results: SeedResult[];

// A smaller version of `npm run eval`: two seeds, 20 channels, 40 minutes each.
beforeAll(async () => {
  results = [];
  for (const seed of [1, 2]) results.push(await runSeed({ seed, channels: 20, durationS: 2400 }));
  scores = scoreDetectors(results);
}, 60_000);

describe('detection quality on simulated chat', () => {
  it('has enough planted highlights to tell the detectors apart', () => {
    expect(results.reduce((sum, result) => sum + result.highlights.length, 0)).toBeGreaterThan(100);
  });

  it('beats the reference rule by at least 0.15 F1', () => {
    const { streamScout, reference } = scores;
    const numbers = `stream scout ${describeScore(streamScout)}; reference rule ${describeScore(reference)}`;
    expect(streamScout.quality.f1, numbers).toBeGreaterThanOrEqual(reference.quality.f1 + 0.15);
  });
});

function describeScore({ quality }: DetectorScore): string {
  return (
    `precision ${quality.precision.toFixed(3)}, recall ${quality.recall.toFixed(3)}, ` +
    `F1 ${quality.f1.toFixed(3)}`
  );
}
