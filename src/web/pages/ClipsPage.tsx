import { useMemo } from 'react';
import { ChannelFilter } from '../components/ChannelFilter.tsx';
import { ClipList } from '../components/ClipList.tsx';
import { MinScoreFilter } from '../components/MinScoreFilter.tsx';
import { useClipsFeed } from '../hooks/use-clips-feed.ts';
import { useDocumentTitle } from '../hooks/use-document-title.ts';
import { useStreams } from '../hooks/use-streams.ts';
import { clipsPath, type ClipFilter } from '../lib/route.ts';
import { displayNames } from '../lib/streams.ts';

/** Every clip the clipper made by default: it only clips moments worth it, so none is hidden. */
export function ClipsPage({ filter }: { filter: ClipFilter }) {
  useDocumentTitle('Clips');
  const { streams } = useStreams();
  const names = useMemo(() => displayNames(streams ?? []), [streams]);
  const logins = useMemo(() => (streams ?? []).map((stream) => stream.channel).sort(), [streams]);
  const feed = useClipsFeed(filter);
  // The filters live in the route: a link shares them, Back undoes them.
  const show = (next: ClipFilter) => {
    window.location.hash = clipsPath(next);
  };
  return (
    <section className="panel clips-panel" aria-labelledby="clips-heading">
      <header className="panel__header">
        <div>
          <h1 id="clips-heading">Clips</h1>
          <p className="panel__meta">Clips of the moments, newest first · select one to play it</p>
        </div>
        <div className="filters">
          <ChannelFilter
            value={filter.channel}
            channels={logins}
            onChange={(channel) => show({ ...filter, channel })}
          />
          <MinScoreFilter
            value={filter.minScore}
            allLabel="All clips"
            onChange={(minScore) => show({ ...filter, minScore })}
          />
        </div>
      </header>
      <ClipList
        feed={feed}
        displayNames={names}
        filtered={filter.channel !== undefined || filter.minScore !== undefined}
      />
    </section>
  );
}
