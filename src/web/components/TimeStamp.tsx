import { useNow } from '../hooks/use-now.ts';
import { formatClock, formatFullDate, formatRelative } from '../lib/format.ts';

export function TimeStamp({ ts }: { ts: number }) {
  const now = useNow();
  return (
    <time className="timestamp" dateTime={new Date(ts).toISOString()} title={formatFullDate(ts)}>
      <span className="timestamp__relative">{formatRelative(ts, now)}</span>
      <span className="timestamp__clock">{formatClock(ts, now)}</span>
    </time>
  );
}
