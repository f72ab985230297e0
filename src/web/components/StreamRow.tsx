import type { StreamSummary } from '../backend/types.ts';
import { formatCompact, formatCount, formatRate } from '../lib/format.ts';
import type { RatePoint } from '../lib/rate-history.ts';
import { streamHref } from '../lib/route.ts';
import { displayName } from '../lib/streams.ts';
import { Sparkline } from './Sparkline.tsx';

interface Props {
  rank: number;
  stream: StreamSummary;
  rates: readonly RatePoint[];
}

export function StreamRow({ rank, stream, rates }: Props) {
  const { channel, live, title, game, viewers, chat_rate, unique_chatters, recent_moments } =
    stream;
  return (
    <tr
      className={live ? 'stream-row' : 'stream-row stream-row--offline'}
      data-testid="stream-row"
      data-channel-id={stream.channel_id}
      data-channel={channel}
    >
      <td className="num col-rank">{rank}</td>
      <th scope="row" className="stream-row__channel">
        <a className="row-link" href={streamHref(channel)}>
          {displayName(stream)}
        </a>
        {!live && <span className="tag">Offline</span>}
        <span className="stream-row__meta">
          {game && <span className="stream-row__game">{game}</span>}
          {title && <span className="stream-row__title">{title}</span>}
        </span>
      </th>
      <td className="col-game">{game ?? '—'}</td>
      <td className="num">{formatCompact(viewers)}</td>
      <td className="num">
        <span className="rate-cell">
          <Sparkline values={rates.map((point) => point.rate)} />
          <span className="rate-cell__value">{formatRate(chat_rate)}</span>
        </span>
      </td>
      <td className="num col-chatters">{formatCount(unique_chatters)}</td>
      <td className="num">
        <span className={recent_moments > 0 ? 'count-pill count-pill--hot' : 'count-pill'}>
          {recent_moments}
        </span>
      </td>
    </tr>
  );
}
