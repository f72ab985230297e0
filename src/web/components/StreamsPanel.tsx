import type { StreamSummary } from '../backend/types.ts';
import { STREAMS_REFRESH_MS } from '../hooks/use-streams.ts';
import type { RateHistory } from '../lib/rate-history.ts';
import { EmptyState } from './EmptyState.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { StreamsTable } from './StreamsTable.tsx';

interface Props {
  streams: StreamSummary[] | null;
  error: Error | null;
  rateHistory: RateHistory;
}

function StreamsBody({ streams, rateHistory }: Omit<Props, 'error'>) {
  if (streams === null) return <p className="loading">Loading streams…</p>;
  if (streams.length === 0) {
    return (
      <EmptyState title="No streams yet">
        Streams appear here once the monitor has found live channels.
      </EmptyState>
    );
  }
  return <StreamsTable streams={streams} rateHistory={rateHistory} />;
}

export function StreamsPanel({ streams, error, rateHistory }: Props) {
  const live = streams?.filter((stream) => stream.live).length ?? 0;
  return (
    <section className="panel streams-panel" aria-labelledby="streams-heading">
      <header className="panel__header">
        <div>
          <h2 id="streams-heading">Live streams</h2>
          <p className="panel__meta">
            {streams ? `${live} live · ` : ''}refreshed every {STREAMS_REFRESH_MS / 1000} s
          </p>
        </div>
      </header>
      {error && (
        <ErrorNotice
          what={streams ? 'Could not refresh; showing the last list.' : 'Could not load streams.'}
          error={error}
        />
      )}
      <StreamsBody streams={streams} rateHistory={rateHistory} />
    </section>
  );
}
