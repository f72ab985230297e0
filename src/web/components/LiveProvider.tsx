import { useEffect, useState, type ReactNode } from 'react';
import { LiveConnection, liveUrl } from '../backend/live-connection.ts';
import { LiveContext } from '../hooks/live-context.ts';

export function LiveProvider({ children }: { children: ReactNode }) {
  const [connection] = useState(() => new LiveConnection(liveUrl(window.location)));
  useEffect(() => {
    connection.start();
    return () => connection.stop();
  }, [connection]);
  return <LiveContext value={connection}>{children}</LiveContext>;
}
