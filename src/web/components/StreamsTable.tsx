import type { StreamSummary } from '../backend/types.ts';
import type { RateHistory } from '../lib/rate-history.ts';
import { StreamRow } from './StreamRow.tsx';

interface Props {
  streams: StreamSummary[];
  rateHistory: RateHistory;
}

export function StreamsTable({ streams, rateHistory }: Props) {
  return (
    <div className="table-scroll">
      <table className="streams-table">
        <caption className="visually-hidden">
          Streams by viewers, with their chat activity over the last minute
        </caption>
        <thead>
          <tr>
            <th scope="col" className="num col-rank">
              #
            </th>
            <th scope="col">Channel</th>
            <th scope="col" className="col-game">
              Game
            </th>
            <th scope="col" className="num">
              Viewers
            </th>
            <th scope="col" className="num">
              <abbr title="Chat messages per second">Msg/s</abbr>
            </th>
            <th scope="col" className="num col-chatters">
              Chatters
            </th>
            <th scope="col" className="num" title="Moments in the last hour">
              Moments
            </th>
          </tr>
        </thead>
        <tbody>
          {streams.map((stream, index) => (
            <StreamRow
              key={stream.channel_id}
              rank={index + 1}
              stream={stream}
              rates={rateHistory.get(stream.channel_id) ?? []}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
