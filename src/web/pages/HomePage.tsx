import { useMemo } from 'react';
import { MomentsFeed } from '../components/MomentsFeed.tsx';
import { StreamsPanel } from '../components/StreamsPanel.tsx';
import { useDocumentTitle } from '../hooks/use-document-title.ts';
import { useRateHistory } from '../hooks/use-rate-history.ts';
import { useStreams } from '../hooks/use-streams.ts';
import { displayNames } from '../lib/streams.ts';

export function HomePage() {
  useDocumentTitle(null);
  const { streams, error } = useStreams();
  const rateHistory = useRateHistory(streams);
  const names = useMemo(() => displayNames(streams ?? []), [streams]);
  return (
    <div className="home">
      <StreamsPanel streams={streams} error={error} rateHistory={rateHistory} />
      <MomentsFeed displayNames={names} />
    </div>
  );
}
