import type { Ranked } from '../backend/types.ts';
import { formatCount } from '../lib/format.ts';

const SHOWN = 12;
const MIN_EM = 0.85;
const MAX_EM = 1.6;

export function EmoteCloud({ emotes }: { emotes: readonly Ranked[] }) {
  if (emotes.length === 0) return <p className="muted">No emotes in the last minute.</p>;
  const shown = emotes.slice(0, SHOWN);
  const top = Math.max(...shown.map((emote) => emote.count));
  return (
    <ul className="emote-cloud" aria-label="Emotes by use in the last minute">
      {shown.map((emote) => (
        <li
          key={emote.name}
          className="chip"
          style={{ fontSize: `${MIN_EM + (MAX_EM - MIN_EM) * (emote.count / top)}em` }}
        >
          <span className="chip__name">{emote.name}</span>
          <span className="chip__count">{formatCount(emote.count)}</span>
        </li>
      ))}
    </ul>
  );
}
