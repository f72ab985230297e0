import type { StreamSummary } from '../backend/types.ts';
import { useNow } from '../hooks/use-now.ts';
import { formatDuration } from '../lib/format.ts';
import { homeHref } from '../lib/route.ts';
import { displayName } from '../lib/streams.ts';

interface Props {
  channel: string;
  /** Undefined while loading; null when Stream Scout does not follow this channel. */
  stream: StreamSummary | null | undefined;
}

function Details({ stream }: { stream: StreamSummary }) {
  const now = useNow();
  const facts = [
    stream.game,
    stream.language?.toUpperCase(),
    stream.live && stream.started_at !== null
      ? `live for ${formatDuration(now - stream.started_at)}`
      : null,
  ].filter((fact) => fact);
  return (
    <>
      {stream.title && <p className="stream-header__title">{stream.title}</p>}
      {facts.length > 0 && <p className="stream-header__facts">{facts.join(' · ')}</p>}
    </>
  );
}

export function StreamHeader({ channel, stream }: Props) {
  return (
    <header className="stream-header">
      <a className="back-link" href={homeHref()}>
        ← All streams
      </a>
      <div className="stream-header__name">
        <h1>{stream ? displayName(stream) : channel}</h1>
        {stream?.live && <span className="live-badge">Live</span>}
        {stream && !stream.live && <span className="tag">Offline</span>}
      </div>
      {stream && <Details stream={stream} />}
      {stream === null && (
        <p className="stream-header__facts">
          Stream Scout is not following this channel right now; showing what it recorded.
        </p>
      )}
    </header>
  );
}
