import { formatScore, scoreLevel } from '../lib/score.ts';

export function ScoreBadge({ score }: { score: number }) {
  const level = scoreLevel(score);
  return (
    <span
      className={`score score--${level.tone}`}
      title="Score: how far chat went beyond this channel's normal level"
    >
      {level.label}
      <span className="visually-hidden">, score</span>
      <span className="score__value">{formatScore(score)}</span>
    </span>
  );
}
