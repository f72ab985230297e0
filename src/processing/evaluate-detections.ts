// Detection quality against ground truth (the simulator's planted highlights): a moment is a
// true positive when it overlaps an unmatched highlight of the same channel.
export interface Span {
  channel_id: string;
  start_ts: number;
  end_ts: number;
}

export interface DetectionQuality {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
  /** Median of (moment start - highlight start) over matched pairs, ms. */
  medianDelayMs: number | null;
}

/** Chat reacts a little after what it reacts to: allow this much slack on either side. */
const TOLERANCE_MS = 5_000;

export function evaluateDetections(moments: Span[], highlights: Span[]): DetectionQuality {
  const unmatched = new Map<string, Span[]>();
  for (const highlight of highlights) {
    const list = unmatched.get(highlight.channel_id) ?? [];
    list.push(highlight);
    unmatched.set(highlight.channel_id, list);
  }
  const delays: number[] = [];
  let truePositives = 0;
  for (const moment of [...moments].sort((a, b) => a.start_ts - b.start_ts)) {
    const candidates = unmatched.get(moment.channel_id) ?? [];
    const index = candidates.findIndex((highlight) => overlaps(moment, highlight));
    if (index === -1) continue;
    truePositives += 1;
    delays.push(moment.start_ts - candidates[index]!.start_ts);
    candidates.splice(index, 1);
  }
  const falsePositives = moments.length - truePositives;
  const falseNegatives = highlights.length - truePositives;
  const precision = moments.length === 0 ? 1 : truePositives / moments.length;
  const recall = highlights.length === 0 ? 1 : truePositives / highlights.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    truePositives,
    falsePositives,
    falseNegatives,
    precision,
    recall,
    f1,
    medianDelayMs: median(delays),
  };
}

function overlaps(a: Span, b: Span): boolean {
  return a.start_ts <= b.end_ts + TOLERANCE_MS && b.start_ts <= a.end_ts + TOLERANCE_MS;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
