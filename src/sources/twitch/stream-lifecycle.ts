// Canonical events from two consecutive discovery snapshots: online, offline, title and game
// changes, and one viewers sample per live stream. Pure: the caller guarantees `current` comes
// from a fresh, successful Get Streams check, because a stream missing from it is reported
// offline. A new stream id for the same channel is a new broadcast: the old one went offline
// (its end was missed between two polls) and the new one came online.
import {
  SCHEMA_VERSION,
  type Lifecycle,
  type StreamEvent,
  type Viewers,
} from '../../events/schema.ts';
import type { LiveStream } from './live-stream.ts';

/** Live streams by channel id, in ranking order. */
export type StreamSnapshot = ReadonlyMap<string, LiveStream>;

export function snapshotOf(streams: Iterable<LiveStream>): Map<string, LiveStream> {
  const snapshot = new Map<string, LiveStream>();
  for (const stream of streams) {
    if (!snapshot.has(stream.channelId)) snapshot.set(stream.channelId, stream);
  }
  return snapshot;
}

/** Lifecycle events first (offline before online, so a channel's order is right), then viewers. */
export function streamEvents(
  previous: StreamSnapshot,
  current: StreamSnapshot,
  ts: number,
): StreamEvent[] {
  const at = Math.floor(ts);
  const events: StreamEvent[] = [];
  for (const [channelId, before] of previous) {
    if (!current.has(channelId)) events.push(lifecycle('offline', before, at));
  }
  for (const [channelId, stream] of current) {
    const before = previous.get(channelId);
    if (before === undefined) {
      events.push(lifecycle('online', stream, at));
    } else if (isNewBroadcast(before, stream)) {
      events.push(lifecycle('offline', before, at), lifecycle('online', stream, at));
    } else {
      if (before.title !== stream.title) events.push(lifecycle('title', stream, at));
      // By id: a category's display name can change (or be localised) without a game change.
      if (before.gameId !== stream.gameId) events.push(lifecycle('game', stream, at));
    }
  }
  for (const stream of current.values()) events.push(viewers(stream, at));
  return events;
}

function isNewBroadcast(before: LiveStream, now: LiveStream): boolean {
  return before.streamId !== '' && now.streamId !== '' && before.streamId !== now.streamId;
}

function lifecycle(kind: Lifecycle['kind'], stream: LiveStream, ts: number): Lifecycle {
  const event: Lifecycle = {
    v: SCHEMA_VERSION,
    type: 'lifecycle',
    channel_id: stream.channelId,
    ts,
    kind,
    channel: stream.login,
  };
  if (stream.displayName !== '') event.display_name = stream.displayName.slice(0, 64);
  if (stream.streamId !== '') event.stream_id = stream.streamId;
  if (kind === 'offline') return event;
  // The full current state on every change, as the simulator does: storage applies what it gets.
  event.title = stream.title.slice(0, 500);
  event.game = stream.gameName.slice(0, 200);
  if (stream.language !== '') event.language = stream.language.slice(0, 16);
  if (stream.startedAt !== undefined && stream.startedAt >= 0) event.started_at = stream.startedAt;
  return event;
}

function viewers(stream: LiveStream, ts: number): Viewers {
  const event: Viewers = {
    v: SCHEMA_VERSION,
    type: 'viewers',
    channel_id: stream.channelId,
    ts,
    channel: stream.login,
    viewers: stream.viewers,
  };
  if (stream.streamId !== '') event.stream_id = stream.streamId;
  return event;
}
