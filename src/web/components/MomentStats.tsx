import type { Moment } from '../backend/types.ts';
import { formatCount, formatDuration, formatMultiplier, formatRate } from '../lib/format.ts';

export function MomentStats({ moment }: { moment: Moment }) {
  const { rate, baseline_rate, unique_chatters } = moment.explanation;
  const multiplier = formatMultiplier(rate, baseline_rate);
  return (
    <dl className="moment-stats">
      <div>
        <dt>Chat rate</dt>
        <dd>
          <strong>{formatRate(rate)} msg/s</strong> vs {formatRate(baseline_rate)} normal
          {multiplier && <span className="multiplier">{multiplier}</span>}
        </dd>
      </div>
      <div>
        <dt>Chatters</dt>
        <dd>{formatCount(unique_chatters)}</dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd>{formatDuration(moment.end_ts - moment.start_ts)}</dd>
      </div>
    </dl>
  );
}
