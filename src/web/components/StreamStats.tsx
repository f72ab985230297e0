import type { ChannelMetrics, StreamSummary } from '../backend/types.ts';
import { formatCompact, formatCount, formatRate } from '../lib/format.ts';

interface Props {
  stream: StreamSummary | null | undefined;
  /** The newest metrics window, fresher than the stream list between its refreshes. */
  latest: ChannelMetrics | undefined;
}

export function StreamStats({ stream, latest }: Props) {
  const tiles = [
    { label: 'Viewers', value: formatCompact(latest?.viewers ?? stream?.viewers ?? null) },
    { label: 'Msg/s', value: formatRate(latest?.chat_rate ?? stream?.chat_rate ?? null) },
    {
      label: 'Chatters · 1 min',
      value: formatCount(latest?.unique_chatters ?? stream?.unique_chatters ?? null),
    },
    { label: 'Moments · 1 h', value: formatCount(stream?.recent_moments ?? null) },
  ];
  return (
    <dl className="stat-tiles">
      {tiles.map((tile) => (
        <div key={tile.label} className="stat-tile">
          <dt>{tile.label}</dt>
          <dd>{tile.value}</dd>
        </div>
      ))}
    </dl>
  );
}
