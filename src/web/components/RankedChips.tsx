import { useId } from 'react';
import type { Ranked } from '../backend/types.ts';
import { formatCount } from '../lib/format.ts';

interface Props {
  label: string;
  items: readonly Ranked[];
  limit: number;
  /** Phrases read better in quotes; emote names do not. */
  quoted?: boolean;
}

export function RankedChips({ label, items, limit, quoted = false }: Props) {
  const labelId = useId();
  if (items.length === 0) return null;
  return (
    <div className="ranked">
      <span className="ranked__label" id={labelId}>
        {label}
      </span>
      <ul className="chips" aria-labelledby={labelId}>
        {items.slice(0, limit).map((item) => (
          <li key={item.name} className="chip" title={item.name}>
            <span className="chip__name">{quoted ? `“${item.name}”` : item.name}</span>
            <span className="chip__count">{formatCount(item.count)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
