// How strong a moment is, in words. The score is the detector's peak deviation from the
// channel's own baseline in standard deviations (a moment opens at 5, see
// processing/detector-params.ts), so a level means the same on quiet and busy channels.
export type ScoreTone = 'huge' | 'big' | 'notable';

export interface ScoreLevel {
  tone: ScoreTone;
  label: string;
  min: number;
}

/** Strongest first. */
export const SCORE_LEVELS: readonly ScoreLevel[] = [
  { tone: 'huge', label: 'Huge', min: 20 },
  { tone: 'big', label: 'Big', min: 10 },
  { tone: 'notable', label: 'Notable', min: 0 },
];

export function scoreLevel(score: number): ScoreLevel {
  return SCORE_LEVELS.find((level) => score >= level.min) ?? SCORE_LEVELS.at(-1)!;
}

export function formatScore(score: number): string {
  return score.toFixed(1);
}
