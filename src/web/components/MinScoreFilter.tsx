import { useId } from 'react';
import { SCORE_LEVELS, formatScore } from '../lib/score.ts';

interface Props {
  value: number | undefined;
  onChange: (minScore: number | undefined) => void;
  /** The choice without a minimum. */
  allLabel?: string;
}

const CHOICES = SCORE_LEVELS.filter((level) => level.min > 0).map((level, index) => ({
  value: level.min,
  label: `${level.label}${index === 0 ? ' only' : ' and up'} (score ≥ ${level.min})`,
}));

export function MinScoreFilter({ value, onChange, allLabel = 'All moments' }: Props) {
  const id = useId();
  // A shared link may carry a minimum of its own: offered as it is rather than shown as another.
  const custom = value !== undefined && !CHOICES.some((choice) => choice.value === value);
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
        <option value="">{allLabel}</option>
        {custom && <option value={value}>Score ≥ {formatScore(value)}</option>}
        {CHOICES.toReversed().map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}
