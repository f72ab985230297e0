import { useState } from 'react';
import { useMomentsFeed } from '../hooks/use-moments-feed.ts';
import { MinScoreFilter } from './MinScoreFilter.tsx';
import { MomentList } from './MomentList.tsx';

export function MomentsFeed({ displayNames }: { displayNames: ReadonlyMap<string, string> }) {
  const [minScore, setMinScore] = useState<number | undefined>(undefined);
  const feed = useMomentsFeed({ minScore });
  return (
    <section className="panel moments-panel" aria-labelledby="moments-heading">
      <header className="panel__header">
        <div>
          <h2 id="moments-heading">Moments</h2>
          <p className="panel__meta">Chat spikes on every stream, newest first</p>
        </div>
        <MinScoreFilter value={minScore} onChange={setMinScore} />
      </header>
      <MomentList
        feed={feed}
        displayNames={displayNames}
        emptyTitle={minScore === undefined ? 'No moments yet' : 'No moments at this score yet'}
      />
    </section>
  );
}
