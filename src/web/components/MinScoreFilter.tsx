import { useId } from 'react';
import { SCORE_LEVELS } from '../lib/score.ts';

interface Props {
  value: number | undefined;
  onChange: (minScore: number | undefined) => void;
}

const CHOICES = SCORE_LEVELS.filter((level) => level.min > 0).map((level, index) => ({
  value: level.min,
  label: `${level.label}${index === 0 ? ' only' : ' and up'} (score ≥ ${level.min})`,
}));

export function MinScoreFilter({ value, onChange }: Props) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Show</label>
      <select
        id={id}
        value={value ?? ''}
        onChange={(event) =>
          onChange(event.target.value === '' ? undefined : Number(event.target.value))
        }
      >
        <option value="">All moments</option>
        {CHOICES.toReversed().map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}
