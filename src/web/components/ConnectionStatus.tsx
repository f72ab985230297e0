import type { LiveStatus } from '../backend/live-connection.ts';
import { useLiveState } from '../hooks/use-live.ts';

const LABELS: Record<LiveStatus, { text: string; hint: string }> = {
  connecting: { text: 'Connecting…', hint: 'Opening the live feed' },
  live: { text: 'Live', hint: 'New moments and metrics arrive as they happen' },
  reconnecting: {
    text: 'Reconnecting…',
    hint: 'The live feed dropped; retrying. Lists refresh once it is back.',
  },
};

export function ConnectionStatus() {
  const { status } = useLiveState();
  const { text, hint } = LABELS[status];
  return (
    <p
      className={`connection connection--${status}`}
      data-testid="connection-status"
      data-status={status}
      role="status"
      title={hint}
    >
      <span className="connection__dot" aria-hidden="true" />
      {text}
    </p>
  );
}
