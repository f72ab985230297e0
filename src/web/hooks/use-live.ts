// Components read the shared live connection through these hooks, never the socket itself.
import { useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { LiveConnection, LiveState } from '../backend/live-connection.ts';
import type { LiveMessage } from '../backend/types.ts';
import { LiveContext } from './live-context.ts';

function useLiveConnection(): LiveConnection {
  const connection = useContext(LiveContext);
  if (!connection) throw new Error('useLive* hooks need a <LiveProvider> above them');
  return connection;
}

export function useLiveState(): LiveState {
  const connection = useLiveConnection();
  return useSyncExternalStore(
    (onChange) => connection.onStateChange(onChange),
    () => connection.state,
  );
}

/** Calls the latest `onMessage` for every live message while the component is mounted. */
export function useLiveMessages(onMessage: (message: LiveMessage) => void): void {
  const connection = useLiveConnection();
  const latest = useRef(onMessage);
  useEffect(() => {
    latest.current = onMessage;
  });
  useEffect(() => connection.onMessage((message) => latest.current(message)), [connection]);
}

/** Reconnects since the component mounted: data loaded over REST should be re-read after each. */
export function useReconnects(): number {
  const { sessions } = useLiveState();
  const [sessionsAtMount] = useState(sessions);
  return Math.max(0, sessions - Math.max(sessionsAtMount, 1));
}
