import { EmoteCloud } from '../components/EmoteCloud.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { MetricsChart } from '../components/MetricsChart.tsx';
import { MomentList } from '../components/MomentList.tsx';
import { StreamHeader } from '../components/StreamHeader.tsx';
import { StreamStats } from '../components/StreamStats.tsx';
import { useChannelMetrics } from '../hooks/use-channel-metrics.ts';
import { useDocumentTitle } from '../hooks/use-document-title.ts';
import { useMomentsFeed } from '../hooks/use-moments-feed.ts';
import { useStreams } from '../hooks/use-streams.ts';
import { displayName, findStream } from '../lib/streams.ts';

/** Rendered with `key={channel}`: all state belongs to one channel. */
export function StreamPage({ channel }: { channel: string }) {
  const { streams, error } = useStreams();
  // Undefined while loading, null once we know the channel is not in the list.
  const stream = streams && (findStream(streams, channel) ?? null);
  const { metrics, loaded, error: metricsError } = useChannelMetrics(channel);
  const feed = useMomentsFeed({ channel });
  const latest = metrics.at(-1);
  useDocumentTitle(stream ? displayName(stream) : channel);

  return (
    <div className="stream-page">
      <StreamHeader channel={channel} stream={stream} />
      {error && !streams && <ErrorNotice what="Could not load the stream." error={error} />}
      <StreamStats stream={stream} latest={latest} />
      <div className="stream-page__grid">
        <section className="panel chart-panel" aria-labelledby="chart-heading">
          <header className="panel__header">
            <div>
              <h2 id="chart-heading">Chat activity</h2>
              <p className="panel__meta">Last hour · 1-minute windows every 10 s</p>
            </div>
          </header>
          {metricsError && <ErrorNotice what="Could not load the chart." error={metricsError} />}
          <MetricsChart metrics={metrics} moments={feed.moments} loaded={loaded} />
        </section>
        <section className="panel emotes-panel" aria-labelledby="emotes-heading">
          <header className="panel__header">
            <div>
              <h2 id="emotes-heading">Top emotes</h2>
              <p className="panel__meta">Last minute of chat</p>
            </div>
          </header>
          <EmoteCloud emotes={latest?.top_emotes ?? []} />
        </section>
      </div>
      <section className="panel" aria-labelledby="stream-moments-heading">
        <header className="panel__header">
          <div>
            <h2 id="stream-moments-heading">Moments</h2>
            <p className="panel__meta">Newest first · shaded on the chart</p>
          </div>
        </header>
        <MomentList feed={feed} emptyTitle="No moments on this stream yet" />
      </section>
    </div>
  );
}
